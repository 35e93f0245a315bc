using TorchSharp;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Sampling;

/// <summary>
/// Seeded Gaussian noise drawn on the CPU (like AUTOMATIC1111's "CPU" RNG source), so a seed gives the same
/// image on every device.
/// </summary>
public sealed class LatentNoise : IDisposable
{
    readonly Generator _generator;
    readonly Device _device;

    public LatentNoise(long seed, Device? device)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(seed);
        _generator = new Generator((ulong)seed, CPU);
        _device = device ?? CPU;
    }

    /// <summary>N(0, 1) float32 noise of <paramref name="shape"/> on the target device.</summary>
    public Tensor Next(long[] shape)
    {
        var noise = randn(shape, ScalarType.Float32, CPU, generator: _generator);
        if (_device.type == DeviceType.CPU) return noise;
        using (noise) return noise.to(_device);
    }

    public void Dispose() => _generator.Dispose();
}
