using System.Text.RegularExpressions;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace SweepRunner.Cli.Tests.Support;

/// <summary>One preview next to the image the base model alone draws for the same request.</summary>
/// <param name="Prompt">The preview's prompt, which names a background colour ("…, blue background").</param>
public sealed record PreviewPair(string Prompt, string WithLoraPng, string WithoutLoraPng);

/// <summary>What <see cref="PreviewLikeness.Measure"/> finds for one preview.</summary>
public sealed record PreviewLikenessRow(string Prompt, double WithLoraDistance, double WithoutLoraDistance, string NamedBackground,
    string WithLoraBorder, string WithoutLoraBorder);

/// <summary>Whether LoRA previews look like the training images, in numbers.</summary>
/// <param name="WithLoraDistance">Mean over the previews of the distance to the nearest training image.</param>
/// <param name="WithoutLoraDistance">The same for the base model's images at the same requests.</param>
/// <param name="TrainingDistance">Mean over the training images of the distance to the nearest other training image.</param>
public sealed record PreviewLikenessReport(IReadOnlyList<PreviewLikenessRow> Rows, double WithLoraDistance, double WithoutLoraDistance, double TrainingDistance)
{
    public int BackgroundsRight => Rows.Count(r => r.WithLoraBorder == r.NamedBackground);

    public int BackgroundsRightWithoutLora => Rows.Count(r => r.WithoutLoraBorder == r.NamedBackground);

    public override string ToString()
    {
        var rows = Rows.Select(r => FormattableString.Invariant(
            $"'{r.Prompt}': {r.WithLoraDistance:F3} vs {r.WithoutLoraDistance:F3}, border {r.WithLoraBorder} vs {r.WithoutLoraBorder}"));
        return FormattableString.Invariant(
            $"nearest training image: with LoRA {WithLoraDistance:F3}, without {WithoutLoraDistance:F3}, training set leave-one-out {TrainingDistance:F3}; background right with LoRA {BackgroundsRight} of {Rows.Count}, without {BackgroundsRightWithoutLora} of {Rows.Count} ({string.Join("; ", rows)})");
    }
}

/// <summary>
/// How much previews look like a training set: the mean absolute pixel difference (0–1, over pixels and RGB channels)
/// to the nearest training image, resized to the preview's size; the same for the training images among themselves,
/// leaving each one out; and the colour of a preview's border (the mean of its outer ring) against the background
/// colours the dataset names.
/// </summary>
public static partial class PreviewLikeness
{
    /// <param name="trainingPngs">The training images.</param>
    /// <param name="backgrounds">The background colours the dataset's captions name, by name.</param>
    public static PreviewLikenessReport Measure(IReadOnlyList<PreviewPair> previews, IReadOnlyList<string> trainingPngs,
        IReadOnlyList<(string Name, Rgb24 Colour)> backgrounds)
    {
        ArgumentOutOfRangeException.ThrowIfZero(previews.Count);
        ArgumentOutOfRangeException.ThrowIfLessThan(trainingPngs.Count, 2);
        var rows = new List<PreviewLikenessRow>();
        List<float[]>? training = null;
        var side = (Width: 0, Height: 0);
        foreach (var pair in previews)
        {
            var withLora = Load(pair.WithLoraPng, null);
            var withoutLora = Load(pair.WithoutLoraPng, null);
            if (training == null || side != (withLora.Width, withLora.Height))
            {
                side = (withLora.Width, withLora.Height);
                training = trainingPngs.Select(p => Load(p, side).Pixels).ToList();
            }

            rows.Add(new PreviewLikenessRow(pair.Prompt, Nearest(withLora.Pixels, training), Nearest(withoutLora.Pixels, training),
                NamedBackground(pair.Prompt), NearestName(Border(withLora), backgrounds), NearestName(Border(withoutLora), backgrounds)));
        }

        var all = training!;
        var leaveOneOut = all.Select((image, i) => Nearest(image, all.Where((_, j) => j != i).ToList())).Average();
        return new PreviewLikenessReport(rows, rows.Average(r => r.WithLoraDistance), rows.Average(r => r.WithoutLoraDistance), leaveOneOut);
    }

    /// <summary>The colour word before "background" in a prompt.</summary>
    public static string NamedBackground(string prompt)
    {
        var match = BackgroundWord().Match(prompt);
        if (!match.Success) throw new ArgumentException($"'{prompt}' names no background colour (expected '… <colour> background').", nameof(prompt));
        return match.Groups[1].Value;
    }

    /// <summary>Mean absolute difference of two images of the same size, as RGB in [0, 1].</summary>
    public static double Distance(float[] a, float[] b)
    {
        if (a.Length != b.Length) throw new ArgumentException("images differ in size");
        double sum = 0;
        for (var i = 0; i < a.Length; i++) sum += Math.Abs(a[i] - b[i]);
        return sum / a.Length;
    }

    /// <summary>Mean colour of the outer ring of the image, 1/16 of its smaller side wide (at least 2 pixels).</summary>
    public static Rgb24 Border((int Width, int Height, float[] Pixels) image)
    {
        var ring = Math.Max(2, Math.Min(image.Width, image.Height) / 16);
        double r = 0, g = 0, b = 0;
        var count = 0;
        for (var y = 0; y < image.Height; y++)
        for (var x = 0; x < image.Width; x++)
        {
            if (x >= ring && x < image.Width - ring && y >= ring && y < image.Height - ring) continue;
            var o = (y * image.Width + x) * 3;
            r += image.Pixels[o];
            g += image.Pixels[o + 1];
            b += image.Pixels[o + 2];
            count++;
        }

        return new Rgb24(ToByte(r / count), ToByte(g / count), ToByte(b / count));
    }

    static string NearestName(Rgb24 colour, IReadOnlyList<(string Name, Rgb24 Colour)> named) =>
        named.MinBy(n => Sq(n.Colour.R - colour.R) + Sq(n.Colour.G - colour.G) + Sq(n.Colour.B - colour.B)).Name;

    static double Nearest(float[] image, IReadOnlyList<float[]> others) => others.Min(o => Distance(image, o));

    /// <summary>RGB in [0, 1], row-major; resized (bicubic) to <paramref name="size"/> when given.</summary>
    static (int Width, int Height, float[] Pixels) Load(string png, (int Width, int Height)? size)
    {
        using var image = Image.Load<Rgb24>(png);
        if (size is { } s && (image.Width, image.Height) != s) image.Mutate(m => m.Resize(s.Width, s.Height, KnownResamplers.Bicubic));
        var bytes = new byte[image.Width * image.Height * 3];
        image.CopyPixelDataTo(bytes);
        return (image.Width, image.Height, bytes.Select(v => v / 255f).ToArray());
    }

    static byte ToByte(double unit) => (byte)Math.Clamp((int)Math.Round(unit * 255), 0, 255);

    static int Sq(int v) => v * v;

    [GeneratedRegex(@"(\w+) background")]
    private static partial Regex BackgroundWord();
}
