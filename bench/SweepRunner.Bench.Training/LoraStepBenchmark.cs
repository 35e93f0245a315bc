using System.Diagnostics;
using System.Globalization;
using SweepRunner.Core.Datasets;
using SweepRunner.Core.Settings;
using SweepRunner.Training.Data;
using SweepRunner.DemoBuilder;
using SweepRunner.Diffusion.Model;
using SweepRunner.Training.Optimizers;
using SweepRunner.Diffusion.Tokenizer;
using SweepRunner.Training.Trainer;
using static TorchSharp.torch;

namespace SweepRunner.Bench.Training;

/// <summary>What one LoRA training benchmark measured.</summary>
public sealed record LoraStepResult(string Config, int ImageSize, int Dim, int TimedSteps, double FirstStepSeconds, double MeanSeconds, double MinSeconds,
    double SetupSeconds, long PeakWorkingSetBytes);

/// <summary>
/// Times complete LoRA training steps through <see cref="LoraTrainer"/> on the CPU (fp32, batch 1, AdamW): text
/// encoder forward, UNet forward and backward through the LoRA modules of UNet and text encoder, clipping and the
/// optimizer step. The base model has random weights; one generated image is repeated to make the steps.
/// </summary>
public static class LoraStepBenchmark
{
    public static LoraStepResult Run(string name, DiffusionModelConfig config, int imageSize, int dim, int timedSteps)
    {
        var folder = Path.Combine(Path.GetTempPath(), "sweeprunner-bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            var setup = Stopwatch.StartNew();
            DemoDatasetGenerator.Write(Path.Combine(folder, "data"), 1, imageSize, timedSteps + 1, "person", "sks", 1);
            var info = DatasetScanner.Scan(Path.Combine(folder, "data"));
            ClipBpeTrainer.Train(["a photo of sks person, blue background"], 600).Save(Path.Combine(folder, "tokenizer"));
            manual_seed(1234);
            using var model = new StableDiffusionModel(config);
            model.SetTrainable(false);
            var baseModel = new TrainingBaseModel(model, ClipTokenizer.FromFolder(Path.Combine(folder, "tokenizer")), "random.safetensors");
            var settings = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var definition in SettingsCatalog.All) settings[definition.Key] = definition.Default;
            settings[SettingsCatalog.Epochs] = 1L;
            settings[SettingsCatalog.NetworkDim] = (long)dim;
            settings[SettingsCatalog.NetworkAlpha] = (double)dim;
            settings[SettingsCatalog.Resolution] = $"{imageSize},{imageSize}";
            var dataset = TrainingDataset.Load(info, settings);
            using var cache = new LatentCache();
            var trainer = new LoraTrainer(OptimizerFactory.Create, cache);
            var stamps = new List<double>();
            var clock = new Stopwatch();
            double setupSeconds;
            var job = new TrainingJob(settings, Path.Combine(folder, "out"), "bench", []);
            var callbacks = new TrainingCallbacks
            {
                Step = _ => stamps.Add(clock.Elapsed.TotalSeconds),
            };
            // Latents are cached before the clock starts; the first step also pays for building the network.
            var vaeIdentity = VaeIdentity.Compute(model.Vae);
            cache.Get(dataset.Images[0], imageSize, imageSize, false, vaeIdentity, pixels =>
            {
                using var batch = pixels.unsqueeze(0);
                using var encoded = model.Vae.EncodeToLatents(batch);
                return encoded.squeeze(0);
            });
            setupSeconds = setup.Elapsed.TotalSeconds;
            clock.Start();
            trainer.Train(job, baseModel with { VaeIdentity = vaeIdentity }, dataset, callbacks);
            var durations = stamps.Select((t, i) => i == 0 ? t : t - stamps[i - 1]).ToList();
            var timed = durations.Skip(1).ToList();
            return new LoraStepResult(name, imageSize, dim, timed.Count, durations[0], timed.Average(), timed.Min(), setupSeconds,
                Process.GetCurrentProcess().PeakWorkingSet64);
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    public static string Format(LoraStepResult r) => string.Create(CultureInfo.InvariantCulture,
        $"{r.Config} | {r.ImageSize}x{r.ImageSize} ({r.ImageSize / 8}x{r.ImageSize / 8} latents) | {r.Dim} | {r.TimedSteps} | {r.FirstStepSeconds:F3} | {r.MeanSeconds:F3} | {r.MinSeconds:F3} | {r.PeakWorkingSetBytes / (1024.0 * 1024 * 1024):F2}");
}
