using SweepRunner.Diffusion.Sampling;
using TorchSharp;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Tests.Sampling;

/// <summary>Small deterministic noise predictors and conditioning for sampler tests.</summary>
internal static class SamplerTestModels
{
    /// <summary>ε = 0.1·x + context[:, 0, 0] (per sample), which makes guidance visible in closed form.</summary>
    public static Tensor LinearPredictor(Tensor latents, Tensor timesteps, Tensor context)
    {
        using var scope = NewDisposeScope();
        var bias = context.select(1, 0).select(1, 0).view(-1, 1, 1, 1);
        return (0.1 * latents + bias).MoveToOuterDisposeScope();
    }

    /// <summary>Prompt conditioning of constant <paramref name="value"/>, [batch, 3, 2].</summary>
    public static Tensor Context(float value, long batch = 1) => full(batch, 3, 2, value);

    /// <summary>The starting noise the samplers draw for <paramref name="seed"/>.</summary>
    public static Tensor Noise(long seed, long[] shape)
    {
        using var generator = new Generator((ulong)seed, CPU);
        return randn(shape, ScalarType.Float32, CPU, generator: generator);
    }
}
