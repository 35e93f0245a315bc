using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace SweepRunner.DemoBuilder;

/// <summary>
/// Writes a small dataset in kohya layout (<c>&lt;repeats&gt;_&lt;name&gt;/</c>, PNG + caption) of a made-up
/// subject: a figure (round head, eyes, body) in a fixed colour scheme, drawn at varying places, sizes
/// and backgrounds. Deterministic for a seed, so the files it writes can be checked in and reproduced.
/// </summary>
public static class DemoDatasetGenerator
{
    /// <summary>The background colours, by the name captions give them.</summary>
    public static IReadOnlyList<(string Name, Rgb24 Colour)> Backgrounds { get; } =
    [
        ("blue", new Rgb24(70, 110, 200)), ("green", new Rgb24(80, 160, 90)), ("grey", new Rgb24(140, 140, 140)),
        ("yellow", new Rgb24(220, 200, 90)), ("purple", new Rgb24(130, 80, 160)), ("white", new Rgb24(235, 235, 235)),
    ];

    public static IReadOnlyList<string> Write(string folder, int count, int size, int repeats, string name, string token, int seed)
    {
        var sub = Path.Combine(folder, $"{repeats}_{name}");
        Directory.CreateDirectory(sub);
        var rng = new Random(seed);
        var written = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var background = Backgrounds[rng.Next(Backgrounds.Count)];
            using var image = new Image<Rgb24>(size, size);
            var noise = rng.Next(8, 24);
            var scale = size * (0.25 + rng.NextDouble() * 0.15);
            var cx = size * (0.35 + rng.NextDouble() * 0.3);
            var cy = size * (0.3 + rng.NextDouble() * 0.15);
            for (var y = 0; y < size; y++)
            for (var x = 0; x < size; x++)
            {
                var shade = (int)(noise * Math.Sin((x + y) * 6.0 / size));
                image[x, y] = Shift(background.Colour, shade);
            }
            DrawFigure(image, cx, cy, scale);
            var file = Path.Combine(sub, $"{i + 1:D3}.png");
            image.SaveAsPng(file);
            File.WriteAllText(Path.ChangeExtension(file, ".txt"), $"a photo of {token} {name}, {background.Name} background\n");
            written.Add(file);
        }
        return written;
    }

    static void DrawFigure(Image<Rgb24> image, double cx, double cy, double scale)
    {
        var skin = new Rgb24(235, 190, 150);
        var shirt = new Rgb24(200, 40, 50);
        var hair = new Rgb24(60, 40, 30);
        var headR = scale * 0.35;
        Fill(image, (x, y) => InRect(x, y, cx - scale * 0.45, cy + headR * 0.9, cx + scale * 0.45, cy + scale * 1.6), shirt);
        Fill(image, (x, y) => Dist2(x - cx, y - cy) <= Sq(headR), skin);
        Fill(image, (x, y) => Dist2(x - cx, y - cy) <= Sq(headR) && y < cy - headR * 0.55, hair);
        foreach (var side in new[] { -1.0, 1.0 })
            Fill(image, (x, y) => Dist2(x - (cx + side * headR * 0.4), y - (cy - headR * 0.1)) <= Sq(headR * 0.12), new Rgb24(30, 30, 40));
        Fill(image, (x, y) => InRect(x, y, cx - headR * 0.35, cy + headR * 0.35, cx + headR * 0.35, cy + headR * 0.45), new Rgb24(150, 60, 60));
    }

    static void Fill(Image<Rgb24> image, Func<double, double, bool> inside, Rgb24 colour)
    {
        for (var y = 0; y < image.Height; y++)
        for (var x = 0; x < image.Width; x++)
            if (inside(x + 0.5, y + 0.5)) image[x, y] = colour;
    }

    static bool InRect(double x, double y, double x0, double y0, double x1, double y1) => x >= x0 && x < x1 && y >= y0 && y < y1;

    static double Sq(double v) => v * v;

    static double Dist2(double dx, double dy) => dx * dx + dy * dy;

    static Rgb24 Shift(Rgb24 c, int d) =>
        new((byte)Math.Clamp(c.R + d, 0, 255), (byte)Math.Clamp(c.G + d, 0, 255), (byte)Math.Clamp(c.B + d, 0, 255));
}
