using static TorchSharp.torch;

namespace SweepRunner.Training.Optimizers;

/// <summary>
/// One 8-bit optimizer state of one parameter, kept as "state{n}" (uint8 codes, the parameter's shape) and
/// "absmax{n}" (fp32, one per block). Zero codes with zero absmax dequantize to zeros, the initial state.
/// </summary>
readonly struct QuantizedStateSlot
{
    readonly OptimizerState state;
    readonly string codesKey;
    readonly string absmaxKey;
    readonly Tensor parameter;
    readonly Tensor map;
    readonly bool keepSign;

    /// <param name="keepSign">True for a signed first moment, whose sign must survive quantization.</param>
    public QuantizedStateSlot(OptimizerState state, int group, int index, string number, Tensor parameter, Tensor map, bool keepSign)
    {
        this.keepSign = keepSign;
        this.state = state;
        codesKey = $"{group}.{index}.state{number}";
        absmaxKey = $"{group}.{index}.absmax{number}";
        this.parameter = parameter;
        this.map = map;
    }

    /// <summary>The state dequantized to fp32 (a tensor of the current dispose scope).</summary>
    public Tensor Read()
    {
        var p = parameter;
        var codes = state.GetOrAdd(codesKey, () => zeros_like(p, ScalarType.Byte));
        var absmax = state.GetOrAdd(absmaxKey, () => zeros(BlockwiseQuantizer.BlockCount(p.numel()), ScalarType.Float32));
        return BlockwiseQuantizer.Dequantize(codes, absmax, map);
    }

    /// <summary>Quantizes <paramref name="values"/> into the stored codes and absmax.</summary>
    public void Write(Tensor values)
    {
        var (codes, absmax) = BlockwiseQuantizer.Quantize(values, map, keepSign);
        state.Tensor(codesKey).copy_(codes);
        state.Tensor(absmaxKey).copy_(absmax);
    }

    /// <summary>The entries one 8-bit state of <paramref name="parameter"/> keeps.</summary>
    public static IEnumerable<KeyValuePair<string, StateEntry>> Entries(Tensor parameter, string number) =>
    [
        new($"state{number}", StateEntry.Byte(parameter.shape)),
        new($"absmax{number}", StateEntry.Float32([BlockwiseQuantizer.BlockCount(parameter.numel())])),
    ];
}
