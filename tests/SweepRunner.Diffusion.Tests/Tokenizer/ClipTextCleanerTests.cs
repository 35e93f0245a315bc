using SweepRunner.Diffusion.Tokenizer;
using SweepRunner.TestSupport;

namespace SweepRunner.Diffusion.Tests.Tokenizer;

/// <summary>Expected texts follow ftfy 6.3's fix_text (the version sd-scripts requires) and CLIP's whitespace_clean and lower-casing.</summary>
public class ClipTextCleanerTests
{
    [Theory]
    [InlineData("  A  Red\t\nCUBE  ", "a red cube")]
    [InlineData("fish &amp; chips", "fish & chips")]
    [InlineData("&amp;lt;tag&amp;gt;", "<tag>")]
    [InlineData("&amp;amp;amp;", "&")]
    [InlineData("<b> &amp; </b>", "<b> &amp; </b>")]
    [InlineData("\u00c9T\u00c9", "\u00e9t\u00e9")]
    [InlineData("\u201csmile\u201d \u2018wink\u2019 don\u2019t", "\"smile\" 'wink' don't")]
    [InlineData("\u201ebottom\u201f \u201aquote\u201b \u02bcokina", "\"bottom\" 'quote' 'okina")]
    [InlineData("\ufb01ne \ufb02ower o\ufb00ice \ufb03x \ufb06ar", "fine flower office ffix star")]
    [InlineData("\uff21\uff22\uff23\uff11\uff12\uff13\uff01", "abc123!")]
    [InlineData("a\u3000b", "a b")]
    [InlineData("\uff76\uff80\uff76\uff85", "\u30ab\u30bf\u30ab\u30ca")]
    [InlineData("\ufeffred\u007f cu\u0000be\u200c", "red cube\u200c")]
    [InlineData("\u0093quoted\u0094 \u0085", "\"quoted\" \u2026")]
    [InlineData("\u001b[31mred\u001b[0m cube", "red cube")]
    public void CleansLikeFtfyAndClip(string input, string expected) => Assert.Equal(expected, ClipTextCleaner.Clean(input));

    [Fact]
    public void PastedTypographyTokenizesAsItsPlainForm()
    {
        using var folder = new TemporaryFolder();
        var tokenizer = TestTokenizers.Create(folder.Path);

        Assert.Equal(tokenizer.EncodeTokens("\"a photo of sks person\", smiling"), tokenizer.EncodeTokens("\u201c\uff41 photo of sks person\u201d\uff0c smiling"));
        Assert.Equal(tokenizer.EncodeTokens("a white background"), tokenizer.EncodeTokens("a\u3000white\ufeff background"));
    }
}
