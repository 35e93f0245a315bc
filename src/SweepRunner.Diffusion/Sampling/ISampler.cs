using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Sampling;

/// <summary>A sampler: turns noise into latents with a <see cref="NoisePredictor"/>.</summary>
public interface ISampler
{
    /// <summary>The name AUTOMATIC1111 shows for this sampler ("DDIM", "Euler a", "Euler").</summary>
    string DisplayName { get; }

    /// <summary>
    /// Samples [B, C, h, w] float32 latents (still scaled by the VAE factor: divide by 0.18215 before
    /// decoding). Every step runs in its own dispose scope; only the returned tensor outlives the call.
    /// </summary>
    Tensor Sample(NoisePredictor model, SamplingRequest request);
}
