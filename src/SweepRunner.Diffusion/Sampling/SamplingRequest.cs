using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Sampling;

/// <summary>What to sample: the text conditioning, guidance, steps, seed and latent size.</summary>
/// <param name="Conditioning">Text encoder output for the prompt, [B, tokens, dim]; B images are sampled.</param>
/// <param name="Unconditioning">Text encoder output for the negative (or empty) prompt, same shape; null disables guidance.</param>
/// <param name="Steps">Sampling steps (kohya's --s, default 30).</param>
/// <param name="GuidanceScale">Classifier-free guidance scale (kohya's --l, default 7.5); 1 disables guidance.</param>
/// <param name="Seed">Seed of the CPU generator for the starting noise and any ancestral noise (non-negative).</param>
/// <param name="LatentHeight">Latent height: image height / 8.</param>
/// <param name="LatentWidth">Latent width: image width / 8.</param>
/// <param name="LatentChannels">Latent channels (4 for SD 1.x).</param>
public sealed record SamplingRequest(
    Tensor Conditioning,
    Tensor? Unconditioning,
    int Steps,
    double GuidanceScale,
    long Seed,
    int LatentHeight,
    int LatentWidth,
    int LatentChannels = 4)
{
    /// <summary>Where the latents live; the noise is always drawn on the CPU so every device gets the same image.</summary>
    public Device? Device { get; init; }

    /// <summary>Called after each step with (steps done, total steps).</summary>
    public Action<int, int>? OnStep { get; init; }

    /// <summary>Checked before each step.</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>Number of images: the batch size of <see cref="Conditioning"/>.</summary>
    public long BatchSize => Conditioning.shape[0];

    /// <summary>Throws with a clear message when the request cannot be sampled.</summary>
    public void Validate()
    {
        if (Conditioning.dim() != 3)
            throw new ArgumentException($"Conditioning must be [batch, tokens, dim]; got {Conditioning.dim()} dimensions.");
        if (Unconditioning is not null && !Unconditioning.shape.SequenceEqual(Conditioning.shape))
            throw new ArgumentException($"The negative-prompt conditioning [{string.Join(", ", Unconditioning.shape)}] must have the shape of the prompt's [{string.Join(", ", Conditioning.shape)}].");
        if (Steps < 1)
            throw new ArgumentOutOfRangeException(nameof(Steps), Steps, "At least one sampling step is needed.");
        if (!double.IsFinite(GuidanceScale))
            throw new ArgumentOutOfRangeException(nameof(GuidanceScale), GuidanceScale, "The guidance scale must be a finite number.");
        if (Seed < 0)
            throw new ArgumentOutOfRangeException(nameof(Seed), Seed, "Seeds are non-negative.");
        if (LatentHeight < 1 || LatentWidth < 1 || LatentChannels < 1)
            throw new ArgumentOutOfRangeException(nameof(LatentHeight), $"The latent size {LatentChannels}x{LatentHeight}x{LatentWidth} must be positive.");
    }
}
