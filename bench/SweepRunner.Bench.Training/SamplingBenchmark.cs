using System.Diagnostics;
using SweepRunner.Diffusion.Model;
using SweepRunner.Diffusion.Pipeline;
using SweepRunner.Diffusion.Sampling;
using SweepRunner.Diffusion.Tokenizer;
using static TorchSharp.torch;

namespace SweepRunner.Bench.Training;

public sealed record SamplingResult(string Config, int Size, int Steps, string Sampler, double FirstSeconds, IReadOnlyList<double> ImageSeconds)
{
    public double MeanSeconds => ImageSeconds.Average();

    public double MinSeconds => ImageSeconds.Min();
}

/// <summary>
/// Times whole images through the sampling pipeline on CPU in fp32: tokenize, text encoder (prompt and negative in
/// one batch), N sampler steps with classifier-free guidance (UNet batch 2), VAE decode, conversion to pixels.
/// </summary>
public static class SamplingBenchmark
{
    public static SamplingResult Run(string name, DiffusionModelConfig config, int size, int steps, SamplerKind sampler, int images, long seed)
    {
        manual_seed(seed);
        using var model = new StableDiffusionModel(config, CPU, ScalarType.Float32);
        model.SetTrainable(false);
        var tokenizerFolder = Path.Combine(Path.GetTempPath(), "sweeprunner-bench-tokenizer-" + Guid.NewGuid().ToString("N"));
        try
        {
            ClipBpeTrainer.Train(["a red circle on a blue background", "a green square with stripes"], Math.Min(config.TextEncoder.VocabSize, 600))
                .Save(tokenizerFolder);
            var generator = new ImageGenerator(model, ClipTokenizer.FromFolder(tokenizerFolder));
            var request = new ImageRequest("a red circle on a blue background", "stripes", steps, 7.5, sampler, seed, size, size);

            var first = Time(generator, request);
            var timings = new List<double>();
            for (var i = 0; i < images; i++)
                timings.Add(Time(generator, request with { Seed = seed + i + 1 }));
            return new SamplingResult(name, size, steps, sampler.SdScriptsName(), first, timings);
        }
        finally
        {
            Directory.Delete(tokenizerFolder, recursive: true);
        }
    }

    static double Time(ImageGenerator generator, ImageRequest request)
    {
        var clock = Stopwatch.StartNew();
        generator.Generate(request);
        return clock.Elapsed.TotalSeconds;
    }
}
