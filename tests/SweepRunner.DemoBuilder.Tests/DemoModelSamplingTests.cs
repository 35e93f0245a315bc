using SweepRunner.Diffusion.Checkpoints;
using SweepRunner.DemoBuilder;
using SweepRunner.Diffusion.Model;
using SweepRunner.Diffusion.Previews;
using SweepRunner.Diffusion.Sampling;
using SweepRunner.Diffusion.Schedulers;
using SweepRunner.TestSupport;
using SweepRunner.Diffusion.Tokenizer;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace SweepRunner.DemoBuilder.Tests;

/// <summary>The committed demo model draws what its captions ask for.</summary>
public sealed class DemoModelSamplingTests(ITestOutputHelper output) : IDisposable
{
    static readonly string[] HueColours = ["red", "orange", "yellow", "green", "blue", "purple"];
    static readonly string[] Shapes = ["circle", "square"];

    readonly StableDiffusionModel _model = LoadCommittedModel();
    readonly ClipTokenizer _tokenizer = ClipTokenizer.FromFolder(RepositoryFiles.Path("models/demo/tokenizer"));

    [Fact]
    public void TheFileIsTheTinyConfigWithItsReproduceCommand()
    {
        using var file = SafetensorsFile.Open(RepositoryFiles.Path("models/demo/model.safetensors"));

        Assert.Equal(DemoModelFiles.ConfigName, file.Metadata[DemoModelFiles.ConfigKey]);
        Assert.StartsWith("sweeprunner demo-model ", file.Metadata[DemoModelFiles.ReproduceKey]);
        Assert.Equal(new DemoModelOptions().ToCommandLine(), file.Metadata[DemoModelFiles.ReproduceKey]);
    }

    /// <summary>
    /// For six colours spread around the hue circle and two shapes, "a &lt;colour&gt; &lt;shape&gt; on a white background"
    /// (DDIM, 20 steps, CFG 5, seed 1): the mean hue of the pixels that are not near-white must be nearest the hue of the
    /// requested colour in at least 6 of the 12 images (chance: 2 of 12 expected, 6 or more with probability below 1%).
    /// A colour's reference hue is the one the model's
    /// own VAE gives it: the hue of a drawn circle of that colour after encoding and decoding, so the test measures
    /// whether the UNet and text encoder draw the colour the caption names.
    /// </summary>
    [Fact]
    public void SampledImagesShowTheRequestedColour()
    {
        var prompts = HueColours.SelectMany(c => Shapes.Select(s => (Colour: c, Prompt: $"{Article(c)} {c} {s} on a white background"))).ToList();
        var images = Sample(prompts.Select(p => p.Prompt).ToList(), seed: 1);
        var references = HueColours.ToDictionary(c => c, c => ForegroundHue(Reconstruct(ShapeVocabulary.Colour(c))).Hue);
        output.WriteLine("reference hues: " + string.Join(", ", references.Select(r => $"{r.Key} {r.Value:F0} (drawn {Hue(ShapeVocabulary.Colour(r.Key)):F0})")));

        var hits = 0;
        for (var i = 0; i < prompts.Count; i++)
        {
            var (hue, foreground) = ForegroundHue(images[i]);
            var nearest = HueColours.MinBy(c => HueDistance(hue, references[c]))!;
            output.WriteLine($"{prompts[i].Prompt}: hue {hue:F0} over {foreground} pixels, nearest {nearest}");
            if (nearest == prompts[i].Colour) hits++;
        }

        Assert.True(hits >= 6, $"{hits} of {prompts.Count} images show the requested colour; at least 6 expected.");
    }

    /// <summary>A solid circle of <paramref name="colour"/> on white, through the VAE's encoder and decoder.</summary>
    RgbImage Reconstruct(NamedColour colour)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var drawn = ShapesDatasetGenerator.Draw(new ShapeSpec(colour, ShapeKind.Circle, ShapeFill.Solid, BackgroundKind.White, 32, 32, 18, 0, 0), DemoModelRecipe.ImageSize);
        return PreviewPixels.FromTensor(_model.Vae.forward(DemoImageTensors.FromImages([drawn])));
    }

    List<RgbImage> Sample(IReadOnlyList<string> prompts, long seed)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ids = prompts.SelectMany(p => _tokenizer.Encode(p).Ids).Select(i => (long)i).ToArray();
        var empty = Enumerable.Repeat(_tokenizer.Encode("").Ids.Select(i => (long)i), prompts.Count).SelectMany(x => x).ToArray();
        var conditioning = _model.TextEncoder.forward(tensor(ids, [prompts.Count, _tokenizer.MaxLength]), 1);
        var unconditioning = _model.TextEncoder.forward(tensor(empty, [prompts.Count, _tokenizer.MaxLength]), 1);
        var side = DemoModelRecipe.ImageSize / _model.Config.Vae.DownsamplingFactor;
        var request = new SamplingRequest(conditioning, unconditioning, Steps: 20, GuidanceScale: 5, Seed: seed, side, side);
        var latents = new DdimSampler(DdpmSchedule.Sd15).Sample((x, t, c) => _model.Unet.forward(x, t, c), request);
        var decoded = _model.Vae.DecodeLatents(latents);
        return Enumerable.Range(0, prompts.Count).Select(i => PreviewPixels.FromTensor(decoded[i])).ToList();
    }

    /// <summary>Mean hue (degrees) of the pixels farther than 60 from the white background, and how many there are.</summary>
    static (double Hue, int Count) ForegroundHue(RgbImage image)
    {
        double r = 0, g = 0, b = 0;
        var count = 0;
        for (var i = 0; i < image.Pixels.Length; i += 3)
        {
            int pr = image.Pixels[i], pg = image.Pixels[i + 1], pb = image.Pixels[i + 2];
            var distance = Math.Sqrt((240 - pr) * (240 - pr) + (240 - pg) * (240 - pg) + (240 - pb) * (240 - pb));
            if (distance <= 60) continue;
            r += pr;
            g += pg;
            b += pb;
            count++;
        }

        return count == 0 ? (double.NaN, 0) : (Hue(r / count, g / count, b / count), count);
    }

    static double Hue(NamedColour colour) => Hue(colour.R, colour.G, colour.B);

    static double Hue(double r, double g, double b)
    {
        var max = Math.Max(r, Math.Max(g, b));
        var min = Math.Min(r, Math.Min(g, b));
        if (max - min < 1e-9) return double.NaN;
        var h = max == r ? (g - b) / (max - min) : max == g ? 2 + (b - r) / (max - min) : 4 + (r - g) / (max - min);
        return (h * 60 + 360) % 360;
    }

    static double HueDistance(double a, double b)
    {
        if (double.IsNaN(a)) return double.PositiveInfinity;
        var d = Math.Abs(a - b) % 360;
        return Math.Min(d, 360 - d);
    }

    static string Article(string colour) => "aeiou".Contains(colour[0], StringComparison.Ordinal) ? "an" : "a";

    static StableDiffusionModel LoadCommittedModel()
    {
        var model = new StableDiffusionModel(DiffusionModelConfig.Tiny);
        using var file = SafetensorsFile.Open(RepositoryFiles.Path("models/demo/model.safetensors"));
        using var scope = NewDisposeScope();
        model.LoadStateDict(file.Entries.Select(e => KeyValuePair.Create(e.Name, file.Load(e.Name, ScalarType.Float32))).ToList(), strict: true);
        return model;
    }

    public void Dispose() => _model.Dispose();
}
