using SweepRunner.Core.Settings;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepRunner.Training.Optimizers;

/// <summary>
/// Prodigy (arXiv 2306.06101, konstmish/prodigy 1.1): Adam whose step size d is estimated from the distance
/// travelled from the initial weights x₀. With dlr = d·lr·bc: numerator ← β3·numerator + Σ (d/d0)·dlr·⟨g, x₀ − x⟩,
/// s ← β3·s + (d/d0)·dlr·g (d instead of dlr under safeguard_warmup), d̂ = d_coef·numerator/‖s‖₁,
/// d_max ← max(d_max, d̂), d ← min(d_max, d·growth_rate) (and at least d̂ while d = d0);
/// m ← β1m + d(1−β1)g, v ← β2v + d²(1−β2)g², θ ← θ − dlr·m/(√v + d·ε) (β1 = 0: θ − dlr·d·g/(√v + d·ε)).
/// lr is a multiplier around 1.0; groups must share it (or use 0). State: d, d_max, d_numerator, k; per parameter
/// step, s and p0 (every slice_p-th element), exp_avg (when β1 &gt; 0), exp_avg_sq.
/// </summary>
public sealed class ProdigyOptimizer : LoraOptimizerBase
{
    const string DKey = "d";
    const string DMaxKey = "d_max";
    const string NumeratorKey = "d_numerator";
    const string KKey = "k";
    readonly Options options;

    public ProdigyOptimizer(IReadOnlyList<ParameterGroup> groups, Options options)
        : base(OptimizerRegistry.Prodigy.Name, groups)
    {
        this.options = options;
        SharedLearningRate();
        State.SetScalar(DKey, options.D0);
        State.SetScalar(DMaxKey, options.D0);
        State.SetScalar(NumeratorKey, 0);
        State.SetCounter(KKey, 0);
        for (var g = 0; g < groups.Count; g++)
        {
            SetEffectiveLearningRate(g, options.D0 * groups[g].LearningRate);
        }
    }

    /// <summary>
    /// Prodigy's defaults: betas (0.9, 0.999), beta3 None (√β2), eps 1e-8, weight_decay 0, decouple True,
    /// use_bias_correction False, safeguard_warmup False, d0 1e-6, d_coef 1.0, growth_rate inf, slice_p 1.
    /// </summary>
    public sealed record Options(
        double Beta1 = 0.9,
        double Beta2 = 0.999,
        double? Beta3 = null,
        double Eps = 1e-8,
        double WeightDecay = 0,
        bool Decouple = true,
        bool UseBiasCorrection = false,
        bool SafeguardWarmup = false,
        double D0 = 1e-6,
        double DCoef = 1.0,
        double GrowthRate = double.PositiveInfinity,
        int SliceP = 1)
    {
        public static Options Parse(OptimizerArgumentValues args)
        {
            var (beta1, beta2) = args.Pair("betas", (0.9, 0.999));
            var beta3 = args.NullableDouble("beta3", null);
            var eps = args.Double("eps", 1e-8);
            var weightDecay = args.Double("weight_decay", 0);
            var decouple = args.Bool("decouple", true);
            var useBiasCorrection = args.Bool("use_bias_correction", false);
            var safeguardWarmup = args.Bool("safeguard_warmup", false);
            var d0 = args.Double("d0", 1e-6);
            var dCoef = args.Double("d_coef", 1.0);
            var growthRate = args.Double("growth_rate", double.PositiveInfinity);
            var sliceP = args.Int("slice_p", 1);
            return new Options(beta1, beta2, beta3, eps, weightDecay, decouple, useBiasCorrection, safeguardWarmup, d0, dCoef, growthRate, sliceP);
        }
    }

    protected override void StepCore()
    {
        var (beta1, beta2) = (options.Beta1, options.Beta2);
        var beta3 = options.Beta3 ?? Math.Sqrt(beta2);
        var k = State.Counter(KKey);
        var d = State.Scalar(DKey);
        var dMax = State.Scalar(DMaxKey);
        var d0 = options.D0;
        var lr = SharedLearningRate();
        var biasCorrection = options.UseBiasCorrection ? Math.Sqrt(1 - Math.Pow(beta2, k + 1)) / (1 - Math.Pow(beta1, k + 1)) : 1.0;
        var dlr = d * lr * biasCorrection;
        var dNumerator = State.Scalar(NumeratorKey) * beta3;
        var deltaNumerator = 0.0;
        var dDenom = 0.0;

        var stepped = new List<(ParameterWithGrad Entry, Tensor Grad)>();
        foreach (var entry in ParametersWithGrad())
        {
            var (g, i, parameter, rawGrad) = entry;
            var grad = options.WeightDecay != 0 && !options.Decouple ? rawGrad.add(parameter, alpha: options.WeightDecay) : rawGrad;
            stepped.Add((entry, grad));

            // The step count exists from the first step on, even one that ends early with no gradient signal.
            State.SetCounter(ParameterKey(g, i, "step"), State.Counter(ParameterKey(g, i, "step")));
            var s = State.GetOrAdd(ParameterKey(g, i, "s"), () => zeros_like(Sliced(parameter)));
            var p0 = State.GetOrAdd(ParameterKey(g, i, "p0"), () => Sliced(parameter).clone());
            var expAvgSq = State.GetOrAdd(ParameterKey(g, i, "exp_avg_sq"), () => zeros_like(parameter));
            var expAvg = beta1 > 0 ? State.GetOrAdd(ParameterKey(g, i, "exp_avg"), () => zeros_like(parameter)) : null;
            if (Groups[g].LearningRate > 0)
            {
                var slicedGrad = Sliced(grad);
                deltaNumerator += d / d0 * dlr * dot(slicedGrad, p0 - Sliced(parameter)).item<float>();
                expAvg?.mul_(beta1).add_(grad, alpha: d * (1 - beta1));
                expAvgSq.mul_(beta2).addcmul_(grad, grad, value: d * d * (1 - beta2));
                s.mul_(beta3).add_(slicedGrad, alpha: options.SafeguardWarmup ? d / d0 * d : d / d0 * dlr);
                dDenom += s.abs().sum().item<float>();
            }
        }

        if (dDenom == 0)
        {
            return;
        }

        var globalNumerator = dNumerator + deltaNumerator;
        if (lr > 0)
        {
            var dHat = options.DCoef * globalNumerator / dDenom;
            if (d == d0)
            {
                d = Math.Max(d, dHat);
            }

            dMax = Math.Max(dMax, dHat);
            d = Math.Min(dMax, d * options.GrowthRate);
        }

        State.SetScalar(NumeratorKey, globalNumerator);
        State.SetScalar(DKey, d);
        State.SetScalar(DMaxKey, dMax);
        foreach (var ((g, i, parameter, _), grad) in stepped)
        {
            var stepKey = ParameterKey(g, i, "step");
            State.SetCounter(stepKey, State.Counter(stepKey) + 1);
            var denom = State.Tensor(ParameterKey(g, i, "exp_avg_sq")).sqrt().add_(d * options.Eps);
            if (options.WeightDecay != 0 && options.Decouple)
            {
                parameter.add_(parameter, alpha: -options.WeightDecay * dlr);
            }

            if (beta1 > 0)
            {
                parameter.addcdiv_(State.Tensor(ParameterKey(g, i, "exp_avg")), denom, value: -dlr);
            }
            else
            {
                parameter.addcdiv_(grad, denom, value: -dlr * d);
            }
        }

        State.SetCounter(KKey, k + 1);
        for (var g = 0; g < Groups.Count; g++)
        {
            SetEffectiveLearningRate(g, Groups[g].LearningRate > 0 ? dlr : 0);
        }
    }

    private protected override IReadOnlyDictionary<string, StateEntry> ParameterEntries(Parameter parameter)
    {
        var entries = new Dictionary<string, StateEntry>
        {
            ["step"] = StateEntry.CounterEntry,
            ["s"] = StateEntry.Float32([SlicedLength(parameter.numel())]),
            ["p0"] = StateEntry.Float32([SlicedLength(parameter.numel())]),
            ["exp_avg_sq"] = StateEntry.Float32(parameter.shape),
        };
        if (options.Beta1 > 0)
        {
            entries["exp_avg"] = StateEntry.Float32(parameter.shape);
        }

        return entries;
    }

    private protected override StateEntry? DescribeGlobalEntry(string name) => name switch
    {
        DKey or DMaxKey or NumeratorKey => StateEntry.ScalarEntry,
        KKey => StateEntry.CounterEntry,
        _ => null,
    };

    private protected override IEnumerable<string> RequiredGlobalEntries => [DKey, DMaxKey, NumeratorKey, KKey];

    /// <summary>Every slice_p-th element of the flattened tensor, as flatten()[::slice_p].</summary>
    Tensor Sliced(Tensor tensor)
    {
        var flat = tensor.flatten();
        return options.SliceP == 1 ? flat : flat.slice(0, 0, flat.numel(), options.SliceP);
    }

    long SlicedLength(long elements) => (elements + options.SliceP - 1) / options.SliceP;
}
