using SweepRunner.Core.Settings;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepRunner.Training.Optimizers;

/// <summary>
/// bitsandbytes AdamW8bit: the AdamW update with block-wise 8-bit moments. Each step dequantizes the moments to
/// fp32, applies the update, and quantizes them again: the first moment with the signed dynamic map, the second
/// with the unsigned one, <see cref="BlockwiseQuantizer.BlockSize"/> values per block with an fp32 absmax each.
/// Parameters with fewer than min_8bit_size (4096) elements keep fp32 moments, as bitsandbytes does.
/// State per 8-bit parameter: step, state1/absmax1, state2/absmax2; per small parameter: step, exp_avg, exp_avg_sq.
/// </summary>
public sealed class AdamW8bitOptimizer : LoraOptimizerBase
{
    readonly Options options;

    public AdamW8bitOptimizer(IReadOnlyList<ParameterGroup> groups, Options options)
        : base(OptimizerRegistry.AdamW8bit.Name, groups)
    {
        this.options = options;
    }

    /// <summary>bitsandbytes' defaults: betas (0.9, 0.999), eps 1e-8, weight_decay 0.01, min_8bit_size 4096.</summary>
    public sealed record Options(double Beta1 = 0.9, double Beta2 = 0.999, double Eps = 1e-8, double WeightDecay = 0.01, int Min8BitSize = 4096)
    {
        public static Options Parse(OptimizerArgumentValues args)
        {
            var (beta1, beta2) = args.Pair("betas", (0.9, 0.999));
            var eps = args.Double("eps", 1e-8);
            var weightDecay = args.Double("weight_decay", 0.01);
            var min8BitSize = args.Int("min_8bit_size", 4096);
            return new Options(beta1, beta2, eps, weightDecay, min8BitSize);
        }
    }

    protected override void StepCore()
    {
        var signedMap = DynamicQuantizationMap.AsTensor(DynamicQuantizationMap.Signed);
        var unsignedMap = DynamicQuantizationMap.AsTensor(DynamicQuantizationMap.Unsigned);
        foreach (var (g, i, parameter, grad) in ParametersWithGrad())
        {
            var lr = Groups[g].LearningRate;
            var stepKey = ParameterKey(g, i, "step");
            var step = State.Counter(stepKey) + 1;
            State.SetCounter(stepKey, step);
            if (!Uses8Bit(parameter))
            {
                var expAvg = State.GetOrAdd(ParameterKey(g, i, "exp_avg"), () => zeros_like(parameter));
                var expAvgSq = State.GetOrAdd(ParameterKey(g, i, "exp_avg_sq"), () => zeros_like(parameter));
                AdamUpdate.Apply(parameter, grad, expAvg, expAvgSq, step, lr, options.Beta1, options.Beta2, options.Eps, options.WeightDecay);
                continue;
            }

            var first = new QuantizedStateSlot(State, g, i, "1", parameter, signedMap, keepSign: true);
            var second = new QuantizedStateSlot(State, g, i, "2", parameter, unsignedMap, keepSign: false);
            var m = first.Read();
            var v = second.Read();
            AdamUpdate.Apply(parameter, grad, m, v, step, lr, options.Beta1, options.Beta2, options.Eps, options.WeightDecay);
            first.Write(m);
            second.Write(v);
        }

        for (var g = 0; g < Groups.Count; g++)
        {
            SetEffectiveLearningRate(g, Groups[g].LearningRate);
        }
    }

    private protected override IReadOnlyDictionary<string, StateEntry> ParameterEntries(Parameter parameter) => Uses8Bit(parameter)
        ? new Dictionary<string, StateEntry>(QuantizedStateSlot.Entries(parameter, "1").Concat(QuantizedStateSlot.Entries(parameter, "2"))) { ["step"] = StateEntry.CounterEntry }
        : new Dictionary<string, StateEntry>
        {
            ["step"] = StateEntry.CounterEntry,
            ["exp_avg"] = StateEntry.Float32(parameter.shape),
            ["exp_avg_sq"] = StateEntry.Float32(parameter.shape),
        };

    bool Uses8Bit(Parameter parameter) => parameter.numel() >= options.Min8BitSize;
}
