using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Unet;

/// <summary>Sinusoidal timestep features as SD1.5 uses them (flip_sin_to_cos: cosines first, no frequency shift).</summary>
public static class TimestepEmbedding
{
    /// <summary>
    /// Timesteps [B] → [B, dim] float32: cat(cos(t·f), sin(t·f)) with f_i = exp(−ln(maxPeriod)·i / (dim/2)).
    /// </summary>
    public static Tensor Sinusoidal(Tensor timesteps, int dim, double maxPeriod = 10000.0)
    {
        if (timesteps.dim() != 1)
        {
            throw new ArgumentException($"Timesteps must be a 1-D tensor [batch]; got shape [{string.Join(", ", timesteps.shape)}].", nameof(timesteps));
        }

        var half = dim / 2;
        using var steps = arange(half, dtype: ScalarType.Float32, device: timesteps.device);
        using var exponent = steps * (-Math.Log(maxPeriod) / half);
        using var frequencies = exponent.exp();
        using var times = timesteps.to(ScalarType.Float32).unsqueeze(1);
        using var arguments = times * frequencies.unsqueeze(0);
        using var cosines = arguments.cos();
        using var sines = arguments.sin();
        var embedding = cat(new[] { cosines, sines }, 1);
        if (dim % 2 == 0)
        {
            return embedding;
        }

        using (embedding)
        {
            return nn.functional.pad(embedding, new long[] { 0, 1 });
        }
    }
}
