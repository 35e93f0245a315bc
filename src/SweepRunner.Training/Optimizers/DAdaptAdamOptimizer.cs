using SweepRunner.Core.Settings;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepRunner.Training.Optimizers;

/// <summary>
/// D-Adaptation Adam (arXiv 2301.07733, facebookresearch/dadaptation DAdaptAdam 3.x). The step size is d·lr with
/// d estimated from the gradients: with dlr = d·lr·bc (bc = √(1−β2ᵏ⁺¹)/(1−β1ᵏ⁺¹) under use_bias_correction),
/// numerator ← √β2·numerator + (1−√β2)·Σ dlr·⟨g, s/(√v+ε)⟩, m ← β1m + dlr(1−β1)g, v ← β2v + (1−β2)g²,
/// s ← √β2·s + dlr(1−√β2)g, d̂ = numerator/((1−√β2)‖s‖₁), d ← max(d, min(d̂, d·growth_rate)), θ ← θ − m/(√v+ε).
/// lr is a multiplier around 1.0; groups must share it (or use 0). State: d, numerator_weighted, k; per
/// parameter step, s, exp_avg, exp_avg_sq.
/// </summary>
public sealed class DAdaptAdamOptimizer : LoraOptimizerBase
{
    const string DKey = "d";
    const string NumeratorKey = "numerator_weighted";
    const string KKey = "k";
    readonly Options options;

    public DAdaptAdamOptimizer(string name, IReadOnlyList<ParameterGroup> groups, Options options)
        : base(name, groups)
    {
        this.options = options;
        SharedLearningRate();
        State.SetScalar(DKey, options.D0);
        State.SetScalar(NumeratorKey, 0);
        State.SetCounter(KKey, 0);
        for (var g = 0; g < groups.Count; g++)
        {
            SetEffectiveLearningRate(g, options.D0 * groups[g].LearningRate);
        }
    }

    /// <summary>DAdaptAdam's defaults: betas (0.9, 0.999), eps 1e-8, weight_decay 0, decouple False, use_bias_correction False, d0 1e-6, growth_rate inf.</summary>
    public sealed record Options(
        double Beta1 = 0.9,
        double Beta2 = 0.999,
        double Eps = 1e-8,
        double WeightDecay = 0,
        bool Decouple = false,
        bool UseBiasCorrection = false,
        double D0 = 1e-6,
        double GrowthRate = double.PositiveInfinity)
    {
        public static Options Parse(OptimizerArgumentValues args)
        {
            var (beta1, beta2) = args.Pair("betas", (0.9, 0.999));
            var eps = args.Double("eps", 1e-8);
            var weightDecay = args.Double("weight_decay", 0);
            var decouple = args.Bool("decouple", false);
            var useBiasCorrection = args.Bool("use_bias_correction", false);
            var d0 = args.Double("d0", 1e-6);
            var growthRate = args.Double("growth_rate", double.PositiveInfinity);
            args.Int("log_every", 0);
            return new Options(beta1, beta2, eps, weightDecay, decouple, useBiasCorrection, d0, growthRate);
        }
    }

    protected override void StepCore()
    {
        var (beta1, beta2) = (options.Beta1, options.Beta2);
        var k = State.Counter(KKey);
        var d = State.Scalar(DKey);
        var lr = SharedLearningRate();
        var biasCorrection = options.UseBiasCorrection ? Math.Sqrt(1 - Math.Pow(beta2, k + 1)) / (1 - Math.Pow(beta1, k + 1)) : 1.0;
        var dlr = d * lr * biasCorrection;
        var sqrtBeta2 = Math.Sqrt(beta2);
        var numeratorAccumulated = 0.0;
        var skL1 = 0.0;

        var stepped = ParametersWithGrad().ToList();
        foreach (var (g, i, parameter, rawGrad) in stepped)
        {
            var grad = options.WeightDecay != 0 && !options.Decouple ? rawGrad.add(parameter, alpha: options.WeightDecay) : rawGrad;
            // The step count exists from the first step on, even one that ends early with no gradient signal.
            State.SetCounter(ParameterKey(g, i, "step"), State.Counter(ParameterKey(g, i, "step")));
            var s = State.GetOrAdd(ParameterKey(g, i, "s"), () => zeros_like(parameter));
            var expAvg = State.GetOrAdd(ParameterKey(g, i, "exp_avg"), () => zeros_like(parameter));
            var expAvgSq = State.GetOrAdd(ParameterKey(g, i, "exp_avg_sq"), () => zeros_like(parameter));
            if (Groups[g].LearningRate > 0)
            {
                var denom = expAvgSq.sqrt().add_(options.Eps);
                numeratorAccumulated += dlr * dot(grad.flatten(), s.div(denom).flatten()).item<float>();
                expAvg.mul_(beta1).add_(grad, alpha: dlr * (1 - beta1));
                expAvgSq.mul_(beta2).addcmul_(grad, grad, value: 1 - beta2);
                s.mul_(sqrtBeta2).add_(grad, alpha: dlr * (1 - sqrtBeta2));
                skL1 += s.abs().sum().item<float>();
            }
        }

        if (skL1 == 0)
        {
            return;
        }

        var numerator = sqrtBeta2 * State.Scalar(NumeratorKey) + (1 - sqrtBeta2) * numeratorAccumulated;
        if (lr > 0)
        {
            var dHat = numerator / ((1 - sqrtBeta2) * skL1);
            d = Math.Max(d, Math.Min(dHat, d * options.GrowthRate));
        }

        State.SetScalar(NumeratorKey, numerator);
        State.SetScalar(DKey, d);
        foreach (var (g, i, parameter, _) in stepped)
        {
            var stepKey = ParameterKey(g, i, "step");
            State.SetCounter(stepKey, State.Counter(stepKey) + 1);
            var denom = State.Tensor(ParameterKey(g, i, "exp_avg_sq")).sqrt().add_(options.Eps);
            if (options.WeightDecay != 0 && options.Decouple)
            {
                parameter.add_(parameter, alpha: -options.WeightDecay * dlr);
            }

            parameter.addcdiv_(State.Tensor(ParameterKey(g, i, "exp_avg")), denom, value: -1);
        }

        State.SetCounter(KKey, k + 1);
        for (var g = 0; g < Groups.Count; g++)
        {
            SetEffectiveLearningRate(g, Groups[g].LearningRate > 0 ? dlr : 0);
        }
    }

    private protected override IReadOnlyDictionary<string, StateEntry> ParameterEntries(Parameter parameter) => new Dictionary<string, StateEntry>
    {
        ["step"] = StateEntry.CounterEntry,
        ["s"] = StateEntry.Float32(parameter.shape),
        ["exp_avg"] = StateEntry.Float32(parameter.shape),
        ["exp_avg_sq"] = StateEntry.Float32(parameter.shape),
    };

    private protected override StateEntry? DescribeGlobalEntry(string name) => name switch
    {
        DKey or NumeratorKey => StateEntry.ScalarEntry,
        KKey => StateEntry.CounterEntry,
        _ => null,
    };

    private protected override IEnumerable<string> RequiredGlobalEntries => [DKey, NumeratorKey, KKey];
}
