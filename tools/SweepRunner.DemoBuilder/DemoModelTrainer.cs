using System.Globalization;
using SweepRunner.Diffusion.Model;
using SweepRunner.Diffusion.Schedulers;
using SweepRunner.Diffusion.Tokenizer;
using static TorchSharp.torch;

namespace SweepRunner.DemoBuilder;

/// <summary>
/// Builds the bundled demo model from nothing, on the CPU: generates captioned shape images
/// (<see cref="ShapesDatasetGenerator"/>), trains a BPE tokenizer on the captions, trains the tiny VAE as an
/// autoencoder and calibrates its latent scale, caches the latents, trains the tiny UNet and text encoder with the
/// ε-prediction DDPM loss (with caption dropout for classifier-free guidance), and writes the files
/// (<see cref="DemoModelFiles"/>). Everything random is seeded from <see cref="DemoModelOptions.Seed"/>, so the same
/// options and thread count give the same bytes.
/// </summary>
public static class DemoModelTrainer
{
    /// <param name="folder">Output folder (created); gets model.safetensors and tokenizer/.</param>
    /// <param name="reportEvery">Training steps between progress reports.</param>
    public static DemoModelReport Train(string folder, DemoModelOptions options, Action<DemoTrainingProgress>? progress = null,
        TimeProvider? time = null, int reportEvery = 100)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(reportEvery, 1);
        time ??= TimeProvider.System;
        var started = time.GetTimestamp();

        set_num_threads(options.Threads);
        using var generator = new Generator((ulong)options.Seed + 1, CPU);
        var context = new DemoStageContext(new Random(options.Seed + 2), generator, time, started, reportEvery, progress);

        var samples = ShapesDatasetGenerator.Generate(options.Images, DemoModelRecipe.ImageSize, options.Seed);
        context.ReportStage(DemoTrainingStage.Dataset, $"{samples.Count} images of {DemoModelRecipe.ImageSize}x{DemoModelRecipe.ImageSize}");

        var captions = samples.Select(s => s.Caption).ToList();
        var vocabulary = ClipBpeTrainer.Train(captions, DemoModelRecipe.VocabularySize, DemoModelRecipe.MinPairCount);
        var tokenizer = SavedTokenizer(vocabulary);
        context.ReportStage(DemoTrainingStage.Tokenizer, $"{vocabulary.Tokens.Count} tokens, {vocabulary.Merges.Count} merges");

        manual_seed(options.Seed);
        using var model = new StableDiffusionModel(DiffusionModelConfig.Tiny);
        using var images = DemoImageTensors.FromImages(samples.Select(s => s.Image).ToList());

        var vae = DemoVaeTraining.Train(model.Vae, images, options.VaeSteps, options.VaeBatch, context);
        LatentCalibration.Apply(model.Vae, images, DemoModelRecipe.EncodeBatch);
        using var latents = LatentCalibration.EncodeLatents(model.Vae, images, DemoModelRecipe.EncodeBatch);
        var latentStd = latents.std().item<float>();
        context.ReportStage(DemoTrainingStage.Latents, string.Create(CultureInfo.InvariantCulture,
            $"latents [{string.Join(", ", latents.shape)}], std {latentStd:F3}"));

        var captionIds = captions.Select(c => ToLongs(tokenizer.Encode(c).Ids)).ToList();
        var emptyIds = ToLongs(tokenizer.Encode("").Ids);
        var diffusion = DemoDiffusionTraining.Train(model.Unet, model.TextEncoder, DdpmSchedule.Sd15, latents, captionIds, emptyIds,
            options.Steps, options.Batch, context);

        var (path, bytes, sha) = DemoModelFiles.Write(folder, model, vocabulary, options);
        context.ReportStage(DemoTrainingStage.Save, $"{bytes} bytes, sha256 {sha}");
        return new DemoModelReport(path, Path.GetFullPath(Path.Combine(folder, DemoModelFiles.TokenizerFolderName)), bytes, sha,
            vocabulary.Tokens.Count, vae, latentStd, diffusion, time.GetElapsedTime(started));
    }

    /// <summary>The tokenizer exactly as it will load from the saved files.</summary>
    static ClipTokenizer SavedTokenizer(ClipBpeVocabulary vocabulary)
    {
        var folder = Path.Combine(Path.GetTempPath(), "sweeprunner-demo-tokenizer-" + Guid.NewGuid().ToString("N"));
        try
        {
            vocabulary.Save(folder);
            return ClipTokenizer.FromFolder(folder);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    static long[] ToLongs(IReadOnlyList<int> ids) => ids.Select(i => (long)i).ToArray();
}
