using SweepRunner.Core.Settings;
using TorchSharp.Modules;

namespace SweepRunner.Training.Optimizers;

/// <summary>
/// torch.optim.SGD with nesterov=True, as sd-scripts' SGDNesterov (momentum defaults to 0.9, dampening 0):
/// d = g + λθ; b ← d on the first step, else μ·b + d; θ ← θ − lr·(d + μ·b). State per parameter: momentum_buffer (fp32).
/// </summary>
public sealed class SgdNesterovOptimizer : LoraOptimizerBase
{
    readonly Options options;

    public SgdNesterovOptimizer(IReadOnlyList<ParameterGroup> groups, Options options)
        : base(OptimizerRegistry.SgdNesterov.Name, groups)
    {
        this.options = options;
    }

    /// <summary>momentum 0.9 (sd-scripts sets it when absent; Nesterov needs it), weight_decay 0 (L2, added to the gradient).</summary>
    public sealed record Options(double Momentum = 0.9, double WeightDecay = 0)
    {
        public static Options Parse(OptimizerArgumentValues args)
        {
            var momentum = args.Double("momentum", 0.9);
            var weightDecay = args.Double("weight_decay", 0);
            return new Options(momentum, weightDecay);
        }
    }

    protected override void StepCore()
    {
        foreach (var (g, i, parameter, grad) in ParametersWithGrad())
        {
            var direction = options.WeightDecay != 0 ? grad.add(parameter, alpha: options.WeightDecay) : grad;
            var key = ParameterKey(g, i, "momentum_buffer");
            if (State.Contains(key))
            {
                State.Tensor(key).mul_(options.Momentum).add_(direction);
            }
            else
            {
                State.GetOrAdd(key, () => direction.clone());
            }

            var nesterov = direction.add(State.Tensor(key), alpha: options.Momentum);
            parameter.add_(nesterov, alpha: -Groups[g].LearningRate);
        }

        for (var g = 0; g < Groups.Count; g++)
        {
            SetEffectiveLearningRate(g, Groups[g].LearningRate);
        }
    }

    private protected override IReadOnlyDictionary<string, StateEntry> ParameterEntries(Parameter parameter) =>
        new Dictionary<string, StateEntry> { ["momentum_buffer"] = StateEntry.Float32(parameter.shape) };
}
