using SweepRunner.Reports.Html;

namespace SweepRunner.Reports.Tests.Html;

public sealed class HtmlTextTests
{
    [Theory]
    [InlineData("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;")]
    [InlineData("a & \"b\" 'c'", "a &amp; &quot;b&quot; &#39;c&#39;")]
    [InlineData(null, "")]
    public void Encode_escapes_markup_and_quotes(string? text, string html) => Assert.Equal(html, HtmlText.Encode(text));

    [Fact]
    public void Links_percent_encode_each_part_and_keep_slashes() =>
        Assert.Equal("images/a%20b/x%22%3E.png", HtmlText.Link("images/a b/x\">.png"));

    [Theory]
    [InlineData(42.04, "42.0 s")]
    [InlineData(725.0, "12m 05s")]
    [InlineData(9840.0, "2h 44m")]
    [InlineData(null, "–")]
    public void Seconds_read_as_durations(double? seconds, string text) => Assert.Equal(text, HtmlText.Seconds(seconds));
}
