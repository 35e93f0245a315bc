using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Vae;

/// <summary>The diagonal Gaussian the VAE encoder predicts; owns its mean and log-variance tensors.</summary>
public sealed class LatentDistribution : IDisposable
{
    public LatentDistribution(Tensor moments)
    {
        var halves = moments.chunk(2, 1);
        Mean = halves[0];
        using var rawLogVariance = halves[1];
        LogVariance = rawLogVariance.clamp(-30.0, 20.0);
    }

    /// <summary>[B, latent, h, w], unscaled.</summary>
    public Tensor Mean { get; }

    /// <summary>Log-variance clamped to [-30, 20] as LDM does.</summary>
    public Tensor LogVariance { get; }

    /// <summary>mean + exp(logvar / 2) · ε with ε drawn from <paramref name="generator"/> (or the global generator).</summary>
    public Tensor Sample(Generator? generator = null)
    {
        using var halfLog = LogVariance * 0.5;
        using var std = halfLog.exp();
        using var noise = randn(Mean.shape, dtype: Mean.dtype, device: Mean.device, generator: generator);
        using var scaled = std * noise;
        return Mean + scaled;
    }

    public void Dispose()
    {
        Mean.Dispose();
        LogVariance.Dispose();
    }
}
