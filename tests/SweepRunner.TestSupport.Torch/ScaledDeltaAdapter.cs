using SweepRunner.Diffusion.Lora;
using static TorchSharp.torch;

namespace SweepRunner.TestSupport;

/// <summary>A rank-r linear adapter for Linear slots: x·downᵀ·upᵀ·scale.</summary>
public sealed class ScaledDeltaAdapter : ILoraAdapter, IDisposable
{
    public ScaledDeltaAdapter(long inFeatures, long outFeatures, long rank, double scale, long seed)
    {
        using var generator = new Generator((ulong)seed);
        Down = randn(new[] { rank, inFeatures }, generator: generator).requires_grad_(true);
        Up = randn(new[] { outFeatures, rank }, generator: generator).requires_grad_(true);
        Scale = scale;
        Down.DetachFromDisposeScope();
        Up.DetachFromDisposeScope();
    }

    public Tensor Down { get; }

    public Tensor Up { get; }

    public double Scale { get; }

    public int Calls { get; private set; }

    public Tensor Forward(Tensor input)
    {
        Calls++;
        using var down = nn.functional.linear(input, Down);
        using var up = nn.functional.linear(down, Up);
        return up * Scale;
    }

    public void Dispose()
    {
        Down.Dispose();
        Up.Dispose();
    }
}
