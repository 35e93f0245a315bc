using System.Runtime.InteropServices;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SkiaSharp;
using SweepRunner.Reports.Fonts;

namespace SweepRunner.Reports.Grids;

internal enum TextAlignment
{
    Left,
    Center,
}

/// <summary>
/// Rasterizes the sheet's text with SkiaSharp in the embedded font and hands it over as ImageSharp images.
/// </summary>
internal static class GridText
{
    public static SKTypeface Typeface => EmbeddedFont.Typeface;

    public static SKFont Font(float size) => new(Typeface, size)
    {
        Edging = SKFontEdging.Antialias,
        Hinting = SKFontHinting.Normal,
        Subpixel = false,
    };

    public static float Measure(string text, float size)
    {
        using var font = Font(size);
        return font.MeasureText(text);
    }

    /// The distance from one baseline to the next, in whole pixels.
    public static int LineHeight(float size)
    {
        using var font = Font(size);
        return (int)Math.Ceiling(font.Spacing);
    }

    public static IReadOnlyList<string> Wrap(string text, float size, float maxWidth, int maxLines)
    {
        using var font = Font(size);
        return TextWrap.Wrap(text, maxWidth, maxLines, line => font.MeasureText(line));
    }

    /// <summary>
    /// An opaque width x height image of the background colour with the lines drawn on it, the block of lines
    /// centred vertically; text that does not fit is clipped by the box.
    /// </summary>
    public static Image<Rgba32> Render(
        IReadOnlyList<string> lines, float size, int width, int height, int padding, TextAlignment alignment, Rgba32 foreground, Rgba32 background)
    {
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var bitmap = new SKBitmap(info);
        using (var canvas = new SKCanvas(bitmap))
        using (var font = Font(size))
        using (var paint = new SKPaint { Color = ToSkia(foreground), IsAntialias = true, Style = SKPaintStyle.Fill })
        {
            canvas.Clear(ToSkia(background));
            var lineHeight = LineHeight(size);
            var top = (height - (lines.Count * lineHeight)) / 2f;
            var ascent = -font.Metrics.Ascent;
            var leading = (lineHeight - (font.Metrics.Descent - font.Metrics.Ascent)) / 2f;
            for (var index = 0; index < lines.Count; index++)
            {
                var baseline = MathF.Round(top + (index * lineHeight) + leading + ascent);
                var x = alignment == TextAlignment.Center ? width / 2f : padding;
                var align = alignment == TextAlignment.Center ? SKTextAlign.Center : SKTextAlign.Left;
                canvas.DrawText(lines[index], x, baseline, align, font, paint);
            }

            canvas.Flush();
        }

        // Every pixel is opaque (the canvas was cleared to an opaque colour), so premultiplied equals straight alpha.
        var pixels = MemoryMarshal.Cast<byte, Rgba32>(bitmap.GetPixelSpan());
        return Image.LoadPixelData<Rgba32>(pixels, width, height);
    }

    private static SKColor ToSkia(Rgba32 colour) => new(colour.R, colour.G, colour.B, 255);
}
