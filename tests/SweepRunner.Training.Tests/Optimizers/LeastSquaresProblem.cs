using SweepRunner.Training.Optimizers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepRunner.Training.Tests.Optimizers;

/// <summary>
/// Fit y = x·Wᵀ + b from 256 samples: W is [64, 128] (8192 elements, so 8-bit optimizers quantize it and
/// Adafactor factors it), b is [64] (small: fp32 state, unfactored). Loss: squared error summed over outputs,
/// averaged over samples. W starts small and random as a LoRA down weight, b at zero as an up weight.
/// </summary>
sealed class LeastSquaresProblem : IDisposable
{
    readonly Tensor inputs;
    readonly Tensor targets;

    public LeastSquaresProblem(int seed)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator((ulong)seed);
        inputs = randn(256, 128, generator: generator).DetachFromDisposeScope();
        var trueWeight = randn(64, 128, generator: generator) * 0.05;
        var trueBias = randn(64, generator: generator) * 0.05;
        targets = (inputs.matmul(trueWeight.t()) + trueBias).DetachFromDisposeScope();
        Weight = new Parameter(randn(64, 128, generator: generator) * 0.01, requires_grad: true);
        Weight.DetachFromDisposeScope();
        Bias = new Parameter(zeros(64), requires_grad: true);
        Bias.DetachFromDisposeScope();
    }

    public Parameter Weight { get; }

    public Parameter Bias { get; }

    public IReadOnlyList<ParameterGroup> Groups(double lr) => [new ParameterGroup("lora", [Weight, Bias], lr)];

    /// <summary>Computes the loss and the gradients (accumulating into .grad).</summary>
    public double LossAndBackward()
    {
        using var scope = NewDisposeScope();
        var loss = Loss();
        loss.backward();
        return loss.item<float>();
    }

    public double CurrentLoss()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return Loss().item<float>();
    }

    /// <summary>ZeroGrad, backward, Step, as a training loop does; returns the loss before the step.</summary>
    public double TrainStep(ILoraOptimizer optimizer)
    {
        optimizer.ZeroGrad();
        var loss = LossAndBackward();
        optimizer.Step();
        return loss;
    }

    public void Dispose()
    {
        inputs.Dispose();
        targets.Dispose();
        Weight.Dispose();
        Bias.Dispose();
    }

    Tensor Loss() => (inputs.matmul(Weight.t()) + Bias - targets).square().sum(1).mean();
}
