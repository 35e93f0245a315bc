using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Schedulers;

/// <summary>
/// sd-scripts' <c>noise_offset</c>: a per-sample, per-channel constant added to the training noise,
/// noise + offset · N(0, 1) of shape [B, C, 1, 1], which lets the model learn very dark and very bright images.
/// </summary>
public static class NoiseOffset
{
    /// <summary>Returns <paramref name="noise"/> with the offset added (a new tensor); offset 0 returns a copy.</summary>
    public static Tensor Apply(Tensor noise, double offset, Generator? generator = null)
    {
        if (noise.dim() < 2)
            throw new ArgumentException($"Noise must be at least [B, C, ...]; got {noise.dim()} dimensions.", nameof(noise));
        if (offset == 0) return noise.clone();
        using var scope = NewDisposeScope();
        var shape = new long[noise.dim()];
        Array.Fill(shape, 1L);
        shape[0] = noise.shape[0];
        shape[1] = noise.shape[1];
        var perChannel = randn(shape, ScalarType.Float32, CPU, generator: generator).to(noise.device).to_type(noise.dtype);
        return (noise + offset * perChannel).MoveToOuterDisposeScope();
    }
}
