using System.Globalization;
using SweepRunner.Diffusion.TextEncoder;

namespace SweepRunner.DemoBuilder;

/// <summary>
/// What <see cref="DemoModelTrainer"/> varies; everything else (learning rates, loss weights, caption dropout, schedule)
/// is fixed in <see cref="DemoModelRecipe"/>. The defaults build the committed demo model. With the same options and
/// the same number of torch threads, training reproduces the model file bit for bit.
/// </summary>
public sealed record DemoModelOptions
{
    /// <summary>Seeds the image generator, the weight initialisation, batch order, noise and timesteps.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Number of generated training images.</summary>
    public int Images { get; init; } = 6000;

    /// <summary>Optimizer steps of the VAE (autoencoder) stage.</summary>
    public int VaeSteps { get; init; } = 800;

    /// <summary>Images per VAE step.</summary>
    public int VaeBatch { get; init; } = 16;

    /// <summary>Optimizer steps of the UNet + text encoder (diffusion) stage.</summary>
    public int Steps { get; init; } = 2000;

    /// <summary>Latents per diffusion step.</summary>
    public int Batch { get; init; } = 32;

    /// <summary>Torch CPU threads; the result is reproducible for a fixed thread count.</summary>
    public int Threads { get; init; } = 2;

    /// <summary>Throws with a message naming the option when a value cannot train a model.</summary>
    public void Validate()
    {
        Require(Images >= 1, "--images", "at least 1");
        Require(Seed >= 0, "--seed", "0 or more");
        Require(VaeSteps >= 1, "--vae-steps", "at least 1");
        Require(VaeBatch >= 1, "--vae-batch", "at least 1");
        Require(Steps >= 1, "--steps", "at least 1");
        Require(Batch >= 1, "--batch", "at least 1");
        Require(Threads >= 1, "--threads", "at least 1");
    }

    /// <summary>The command that trains a model from these options (the output folder left out: it does not change the files).</summary>
    public string ToCommandLine() => string.Create(CultureInfo.InvariantCulture,
        $"sweeprunner demo-model --seed {Seed} --images {Images} --vae-steps {VaeSteps} --vae-batch {VaeBatch} --steps {Steps} --batch {Batch} --threads {Threads}");

    static void Require(bool condition, string option, string expected)
    {
        if (!condition) throw new ArgumentException($"{option} must be {expected}.");
    }
}

/// <summary>The fixed parts of the demo model's training.</summary>
public static class DemoModelRecipe
{
    /// <summary>Side of the training images: 64 pixels, so 8×8 latents for the UNet.</summary>
    public const int ImageSize = 64;

    public const double VaeLearningRate = 2e-3;

    /// <summary>Weight of the KL term (mean over latent elements) against the reconstruction MSE (mean over pixels).</summary>
    public const double KlWeight = 1e-6;

    /// <summary>
    /// Weight of the MSE between 8×8-pixel block means of reconstruction and image. Colour lives in the low frequencies;
    /// without this term a VAE this small learns brightness long before hue.
    /// </summary>
    public const double BlockColourWeight = 1.0;

    public const double DiffusionLearningRate = 1e-3;

    /// <summary>Linear warm-up steps of both stages, then a cosine decay to <see cref="FinalLearningRateFraction"/>.</summary>
    public const int WarmupSteps = 100;

    public const double FinalLearningRateFraction = 0.1;

    public const double WeightDecay = 0.01;

    public const double MaxGradNorm = 1.0;

    /// <summary>Share of diffusion samples trained with the empty caption, so classifier-free guidance works.</summary>
    public const double CaptionDropout = 0.1;

    /// <summary>A BPE pair must occur this often among the captions' words to become a merge.</summary>
    public const int MinPairCount = 2;

    /// <summary>Vocabulary size cap: the tiny text encoder's embedding table.</summary>
    public static int VocabularySize => ClipTextConfig.Tiny.VocabSize;

    /// <summary>Images encoded per batch when latents are computed.</summary>
    public const int EncodeBatch = 64;
}
