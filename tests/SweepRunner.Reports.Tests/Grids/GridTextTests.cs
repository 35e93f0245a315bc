using SixLabors.ImageSharp.PixelFormats;
using SweepRunner.Reports.Grids;

namespace SweepRunner.Reports.Tests.Grids;

public sealed class GridTextTests
{
    [Fact]
    public void The_embedded_font_loads_and_measures_text()
    {
        Assert.Equal("DejaVu Sans", GridText.Typeface.FamilyName);
        var short_ = GridText.Measure("epoch 1", 16);
        var long_ = GridText.Measure("epoch 1, epoch 2", 16);
        Assert.True(short_ > 0, "no width");
        Assert.True(long_ > short_, "longer text is not wider");
        Assert.True(GridText.Measure("epoch 1", 32) > short_, "larger text is not wider");
        Assert.InRange(GridText.LineHeight(16), 16, 24);
    }

    [Fact]
    public void Rendered_text_has_dark_pixels_on_the_background()
    {
        var background = new Rgba32(255, 255, 255, 255);
        using var image = GridText.Render(["learning_rate: 1e-4"], 16, 200, 30, 4, TextAlignment.Left, new Rgba32(0, 0, 0, 255), background);

        Assert.Equal((200, 30), (image.Width, image.Height));
        Assert.True(GridImages.CountPixels(image, new(0, 0, 200, 30), GridImages.IsDarkText) > 50);
        Assert.Equal(background, image[199, 0]);
    }

    [Fact]
    public void Wrapping_breaks_at_spaces_splits_overlong_words_and_ellipsizes_the_last_line()
    {
        static float Measure(string text) => text.Length * 10f;

        Assert.Equal(["learning", "rate 1e-4"], TextWrap.Wrap("learning rate 1e-4", 90, 3, Measure));
        Assert.Equal(["abcdefghi", "jklmn"], TextWrap.Wrap("abcdefghijklmn", 90, 3, Measure));
        Assert.Equal(["one two", "three\u2026"], TextWrap.Wrap("one two three four five six", 70, 2, Measure));
        Assert.Equal(["a", "b"], TextWrap.Wrap("a\nb", 100, 2, Measure));
        Assert.Equal("abcdefgh\u2026", TextWrap.Ellipsize("abcdefghijklmn", 90, Measure));
        Assert.Equal("fits", TextWrap.Ellipsize("fits", 90, Measure));
    }
}
