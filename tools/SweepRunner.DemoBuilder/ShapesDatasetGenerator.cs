using SweepRunner.Diffusion.Previews;

namespace SweepRunner.DemoBuilder;

/// <summary>What one demo image shows and where: the caption is built from these.</summary>
/// <param name="Colour">The named colour; <paramref name="Fill"/> pixels are this colour shifted by <paramref name="ColourShift"/>.</param>
/// <param name="CentreX">Shape centre in pixels.</param>
/// <param name="CentreY">Shape centre in pixels.</param>
/// <param name="Radius">Half the shape's extent in pixels.</param>
/// <param name="ColourShift">Added to each channel of the shape colour (small, keeps the hue).</param>
/// <param name="BackgroundShift">Added to each channel of the background.</param>
public sealed record ShapeSpec(
    NamedColour Colour,
    ShapeKind Shape,
    ShapeFill Fill,
    BackgroundKind Background,
    double CentreX,
    double CentreY,
    double Radius,
    int ColourShift,
    int BackgroundShift,
    CaptionForm Form = CaptionForm.OnBackground)
{
    public string Caption => ShapeVocabulary.Caption(Colour, Shape, Fill, Background, Form);
}

/// <summary>One training image of the demo model with its caption.</summary>
public sealed record ShapeSample(RgbImage Image, string Caption, ShapeSpec Spec);

/// <summary>
/// Draws the demo model's training images: one shape (circle, square, triangle, ring, cross) in one of ten colours,
/// solid, striped or dotted, on a white, black, grey, checkered, blue, green, yellow or purple background, with a caption
/// naming all four, e.g. "a red circle on a white background" or (half of them) "a photo of a red circle, blue background". Deterministic for a seed; edges are anti-aliased by 4×4 supersampling.
/// </summary>
public static class ShapesDatasetGenerator
{
    const int Supersampling = 4;

    /// <summary><paramref name="count"/> images of <paramref name="size"/>×<paramref name="size"/> pixels drawn from <paramref name="seed"/>.</summary>
    public static IReadOnlyList<ShapeSample> Generate(int count, int size, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ValidateSize(size);
        var random = new Random(seed);
        var samples = new List<ShapeSample>(count);
        for (var i = 0; i < count; i++)
        {
            var spec = NextSpec(random, size);
            samples.Add(new ShapeSample(Draw(spec, size), spec.Caption, spec));
        }

        return samples;
    }

    /// <summary>Draws the image <paramref name="spec"/> describes.</summary>
    public static RgbImage Draw(ShapeSpec spec, int size)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ValidateSize(size);
        var pixels = new byte[size * size * 3];
        var colour = Shift((spec.Colour.R, spec.Colour.G, spec.Colour.B), spec.ColourShift);
        var tint = Mix(colour, (255, 255, 255), 0.55);
        var period = size / 8.0;
        for (var y = 0; y < size; y++)
        for (var x = 0; x < size; x++)
        {
            var background = Shift(BackgroundAt(spec.Background, x, y, period), spec.BackgroundShift);
            var coverage = Coverage(spec, x, y);
            var paint = FillAt(spec.Fill, x, y, period, colour, tint);
            var pixel = Mix(background, paint, coverage);
            var offset = (y * size + x) * 3;
            pixels[offset] = pixel.R;
            pixels[offset + 1] = pixel.G;
            pixels[offset + 2] = pixel.B;
        }

        return new RgbImage(size, size, pixels);
    }

    static ShapeSpec NextSpec(Random random, int size)
    {
        var colour = ShapeVocabulary.Colours[random.Next(ShapeVocabulary.Colours.Count)];
        var shape = (ShapeKind)random.Next(Enum.GetValues<ShapeKind>().Length);
        var fillRoll = random.NextDouble();
        var fill = fillRoll < 0.5 ? ShapeFill.Solid : fillRoll < 0.75 ? ShapeFill.Striped : ShapeFill.Dotted;
        BackgroundKind background;
        do background = NextBackground(random.NextDouble());
        while (colour.Name == ShapeVocabulary.Word(background));

        var scale = size / 64.0;
        var radius = scale * (14 + random.NextDouble() * 8);
        var margin = radius + 2 * scale;
        var centreX = margin + random.NextDouble() * (size - 2 * margin);
        var centreY = margin + random.NextDouble() * (size - 2 * margin);
        var colourShift = random.Next(-10, 11);
        var backgroundShift = random.Next(-8, 9);
        var form = random.NextDouble() < 0.5 ? CaptionForm.OnBackground : CaptionForm.PhotoOf;
        return new ShapeSpec(colour, shape, fill, background, centreX, centreY, radius, colourShift, backgroundShift, form);
    }

    /// <summary>Half the images on the coloured backgrounds (an eighth each), the rest white (0.2), black, grey, checkered (0.1 each).</summary>
    static BackgroundKind NextBackground(double roll) => roll switch
    {
        < 0.2 => BackgroundKind.White,
        < 0.3 => BackgroundKind.Black,
        < 0.4 => BackgroundKind.Grey,
        < 0.5 => BackgroundKind.Checkered,
        < 0.625 => BackgroundKind.Blue,
        < 0.75 => BackgroundKind.Green,
        < 0.875 => BackgroundKind.Yellow,
        _ => BackgroundKind.Purple,
    };

    static double Coverage(ShapeSpec spec, int x, int y)
    {
        var inside = 0;
        for (var sy = 0; sy < Supersampling; sy++)
        for (var sx = 0; sx < Supersampling; sx++)
        {
            var u = (x + (sx + 0.5) / Supersampling - spec.CentreX) / spec.Radius;
            var v = (y + (sy + 0.5) / Supersampling - spec.CentreY) / spec.Radius;
            if (Inside(spec.Shape, u, v)) inside++;
        }

        return inside / (double)(Supersampling * Supersampling);
    }

    /// <summary>Whether the point (u, v), in units of the radius from the centre (v downwards), is inside the shape.</summary>
    static bool Inside(ShapeKind shape, double u, double v) => shape switch
    {
        ShapeKind.Circle => u * u + v * v <= 1,
        ShapeKind.Square => Math.Abs(u) <= 0.85 && Math.Abs(v) <= 0.85,
        ShapeKind.Triangle => v <= 0.8 && v >= -0.95 && Math.Abs(u) <= (v + 0.95) / 1.75,
        ShapeKind.Ring => u * u + v * v <= 1 && u * u + v * v >= 0.55 * 0.55,
        ShapeKind.Cross => (Math.Abs(u) <= 0.33 && Math.Abs(v) <= 1) || (Math.Abs(v) <= 0.33 && Math.Abs(u) <= 1),
        _ => throw new ArgumentOutOfRangeException(nameof(shape), shape, null),
    };

    static (byte R, byte G, byte B) BackgroundAt(BackgroundKind background, int x, int y, double period)
    {
        if (background != BackgroundKind.Checkered) return ShapeVocabulary.BackgroundTone(background);
        var light = ((int)(x / period) + (int)(y / period)) % 2 == 0;
        return light ? ShapeVocabulary.CheckerLight : ShapeVocabulary.CheckerDark;
    }

    static (byte R, byte G, byte B) FillAt(ShapeFill fill, int x, int y, double period, (byte R, byte G, byte B) colour, (byte R, byte G, byte B) tint)
    {
        switch (fill)
        {
            case ShapeFill.Solid:
                return colour;
            case ShapeFill.Striped:
                return (x + y) % (int)period < period / 2 ? colour : tint;
            case ShapeFill.Dotted:
                var dx = x % period - period / 2 + 0.5;
                var dy = y % period - period / 2 + 0.5;
                return dx * dx + dy * dy <= period * period * 0.1 ? colour : tint;
            default:
                throw new ArgumentOutOfRangeException(nameof(fill), fill, null);
        }
    }

    static (byte R, byte G, byte B) Mix((byte R, byte G, byte B) a, (byte R, byte G, byte B) b, double weightOfB) =>
        (Lerp(a.R, b.R, weightOfB), Lerp(a.G, b.G, weightOfB), Lerp(a.B, b.B, weightOfB));

    static byte Lerp(byte a, byte b, double t) => (byte)Math.Clamp((int)Math.Round(a + (b - a) * t), 0, 255);

    static (byte R, byte G, byte B) Shift((byte R, byte G, byte B) c, int d) =>
        ((byte)Math.Clamp(c.R + d, 0, 255), (byte)Math.Clamp(c.G + d, 0, 255), (byte)Math.Clamp(c.B + d, 0, 255));

    static void ValidateSize(int size)
    {
        if (size < 64 || size % 8 != 0)
            throw new ArgumentOutOfRangeException(nameof(size), size, "Demo images are square with a side that is a multiple of 8, at least 64 pixels.");
    }
}
