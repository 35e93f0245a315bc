using SweepRunner.Core.Settings;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepRunner.Training.Optimizers;

/// <summary>
/// bitsandbytes Lion8bit: the Lion update with a block-wise 8-bit momentum (signed dynamic map,
/// <see cref="BlockwiseQuantizer.BlockSize"/> values per block). Parameters with fewer than min_8bit_size (4096)
/// elements keep an fp32 momentum. State per 8-bit parameter: state1/absmax1; per small parameter: exp_avg.
/// </summary>
public sealed class Lion8bitOptimizer : LoraOptimizerBase
{
    readonly Options options;

    public Lion8bitOptimizer(IReadOnlyList<ParameterGroup> groups, Options options)
        : base(OptimizerRegistry.Lion8bit.Name, groups)
    {
        this.options = options;
    }

    /// <summary>bitsandbytes' defaults: betas (0.9, 0.99), weight_decay 0, min_8bit_size 4096.</summary>
    public sealed record Options(double Beta1 = 0.9, double Beta2 = 0.99, double WeightDecay = 0, int Min8BitSize = 4096)
    {
        public static Options Parse(OptimizerArgumentValues args)
        {
            var (beta1, beta2) = args.Pair("betas", (0.9, 0.99));
            var weightDecay = args.Double("weight_decay", 0);
            var min8BitSize = args.Int("min_8bit_size", 4096);
            return new Options(beta1, beta2, weightDecay, min8BitSize);
        }
    }

    protected override void StepCore()
    {
        var signedMap = DynamicQuantizationMap.AsTensor(DynamicQuantizationMap.Signed);
        foreach (var (g, i, parameter, grad) in ParametersWithGrad())
        {
            var lr = Groups[g].LearningRate;
            if (!Uses8Bit(parameter))
            {
                var expAvg = State.GetOrAdd(ParameterKey(g, i, "exp_avg"), () => zeros_like(parameter));
                LionUpdate.Apply(parameter, grad, expAvg, lr, options.Beta1, options.Beta2, options.WeightDecay);
                continue;
            }

            var slot = new QuantizedStateSlot(State, g, i, "1", parameter, signedMap, keepSign: true);
            var momentum = slot.Read();
            LionUpdate.Apply(parameter, grad, momentum, lr, options.Beta1, options.Beta2, options.WeightDecay);
            slot.Write(momentum);
        }

        for (var g = 0; g < Groups.Count; g++)
        {
            SetEffectiveLearningRate(g, Groups[g].LearningRate);
        }
    }

    private protected override IReadOnlyDictionary<string, StateEntry> ParameterEntries(Parameter parameter) => Uses8Bit(parameter)
        ? new Dictionary<string, StateEntry>(QuantizedStateSlot.Entries(parameter, "1"))
        : new Dictionary<string, StateEntry> { ["exp_avg"] = StateEntry.Float32(parameter.shape) };

    bool Uses8Bit(Parameter parameter) => parameter.numel() >= options.Min8BitSize;
}
