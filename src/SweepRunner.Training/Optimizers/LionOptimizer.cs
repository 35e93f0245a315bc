using SweepRunner.Core.Settings;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepRunner.Training.Optimizers;

/// <summary>
/// Lion (arXiv 2302.06675, as lion-pytorch implements it): θ ← θ(1 − lr·λ); c = β1·m + (1−β1)·g;
/// θ ← θ − lr·sign(c); m ← β2·m + (1−β2)·g. State per parameter: exp_avg (fp32).
/// </summary>
public sealed class LionOptimizer : LoraOptimizerBase
{
    readonly Options options;

    public LionOptimizer(IReadOnlyList<ParameterGroup> groups, Options options)
        : base(OptimizerRegistry.Lion.Name, groups)
    {
        this.options = options;
    }

    /// <summary>lion-pytorch's defaults: betas (0.9, 0.99), weight_decay 0.</summary>
    public sealed record Options(double Beta1 = 0.9, double Beta2 = 0.99, double WeightDecay = 0)
    {
        public static Options Parse(OptimizerArgumentValues args)
        {
            var (beta1, beta2) = args.Pair("betas", (0.9, 0.99));
            var weightDecay = args.Double("weight_decay", 0);
            return new Options(beta1, beta2, weightDecay);
        }
    }

    protected override void StepCore()
    {
        foreach (var (g, i, parameter, grad) in ParametersWithGrad())
        {
            var expAvg = State.GetOrAdd(ParameterKey(g, i, "exp_avg"), () => zeros_like(parameter));
            LionUpdate.Apply(parameter, grad, expAvg, Groups[g].LearningRate, options.Beta1, options.Beta2, options.WeightDecay);
        }

        for (var g = 0; g < Groups.Count; g++)
        {
            SetEffectiveLearningRate(g, Groups[g].LearningRate);
        }
    }

    private protected override IReadOnlyDictionary<string, StateEntry> ParameterEntries(Parameter parameter) =>
        new Dictionary<string, StateEntry> { ["exp_avg"] = StateEntry.Float32(parameter.shape) };
}
