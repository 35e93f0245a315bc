using SweepRunner.Core.Settings;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepRunner.Training.Optimizers;

/// <summary>
/// torch.optim.AdamW: decoupled weight decay θ ← θ(1 − lr·λ), then Adam with bias correction,
/// θ ← θ − lr/(1−β1ᵗ) · m / (√v / √(1−β2ᵗ) + ε). State per parameter: step, exp_avg, exp_avg_sq (fp32).
/// </summary>
public sealed class AdamWOptimizer : LoraOptimizerBase
{
    readonly Options options;

    public AdamWOptimizer(IReadOnlyList<ParameterGroup> groups, Options options)
        : base(OptimizerRegistry.AdamW.Name, groups)
    {
        this.options = options;
    }

    /// <summary>torch.optim.AdamW's defaults: betas (0.9, 0.999), eps 1e-8, weight_decay 0.01.</summary>
    public sealed record Options(double Beta1 = 0.9, double Beta2 = 0.999, double Eps = 1e-8, double WeightDecay = 0.01)
    {
        public static Options Parse(OptimizerArgumentValues args)
        {
            var (beta1, beta2) = args.Pair("betas", (0.9, 0.999));
            var eps = args.Double("eps", 1e-8);
            var weightDecay = args.Double("weight_decay", 0.01);
            return new Options(beta1, beta2, eps, weightDecay);
        }
    }

    protected override void StepCore()
    {
        foreach (var (g, i, parameter, grad) in ParametersWithGrad())
        {
            var lr = Groups[g].LearningRate;
            var stepKey = ParameterKey(g, i, "step");
            var step = State.Counter(stepKey) + 1;
            State.SetCounter(stepKey, step);
            var expAvg = State.GetOrAdd(ParameterKey(g, i, "exp_avg"), () => zeros_like(parameter));
            var expAvgSq = State.GetOrAdd(ParameterKey(g, i, "exp_avg_sq"), () => zeros_like(parameter));
            AdamUpdate.Apply(parameter, grad, expAvg, expAvgSq, step, lr, options.Beta1, options.Beta2, options.Eps, options.WeightDecay);
        }

        for (var g = 0; g < Groups.Count; g++)
        {
            SetEffectiveLearningRate(g, Groups[g].LearningRate);
        }
    }

    private protected override IReadOnlyDictionary<string, StateEntry> ParameterEntries(Parameter parameter) => new Dictionary<string, StateEntry>
    {
        ["step"] = StateEntry.CounterEntry,
        ["exp_avg"] = StateEntry.Float32(parameter.shape),
        ["exp_avg_sq"] = StateEntry.Float32(parameter.shape),
    };
}
