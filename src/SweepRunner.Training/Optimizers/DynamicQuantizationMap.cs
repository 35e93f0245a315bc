using static TorchSharp.torch;

namespace SweepRunner.Training.Optimizers;

/// <summary>
/// bitsandbytes' dynamic 8-bit data type (create_dynamic_map, arXiv 1511.04561): 256 sorted values in [−1, 1]
/// made of a decimal exponent 10⁻⁶…10⁰ and a linear fraction whose resolution grows with the exponent.
/// The signed map (first moments) has 127 negative and 127 positive values plus 0 and 1; the unsigned map
/// (second moments) spends the sign bit on the fraction: 254 positive values plus 0 and 1.
/// </summary>
static class DynamicQuantizationMap
{
    const int MaxExponentBits = 7;
    const int NonSignBits = 7;

    public static IReadOnlyList<float> Signed { get; } = Create(signed: true);

    public static IReadOnlyList<float> Unsigned { get; } = Create(signed: false);

    /// <summary>The map as a float32 tensor, for the dispose scope it is created in.</summary>
    public static Tensor AsTensor(IReadOnlyList<float> map) => tensor(map.ToArray(), ScalarType.Float32);

    static float[] Create(bool signed)
    {
        var data = new List<double>(256);
        for (var i = 0; i < MaxExponentBits; i++)
        {
            var fractionItems = signed
                ? (1 << (i + NonSignBits - MaxExponentBits)) + 1
                : (1 << (i + NonSignBits - MaxExponentBits + 1)) + 1;
            var scale = Math.Pow(10, -(MaxExponentBits - 1) + i);
            foreach (var mean in Midpoints(fractionItems))
            {
                data.Add(scale * mean);
                if (signed)
                {
                    data.Add(-scale * mean);
                }
            }
        }

        data.Add(0);
        data.Add(1);
        if (data.Count != 256)
        {
            throw new InvalidOperationException($"the dynamic map has {data.Count} values, not 256");
        }

        return [.. data.Select(value => (float)value).Order()];
    }

    /// <summary>Midpoints of float32 linspace(0.1, 1, count), computed in float32 as torch does.</summary>
    static IEnumerable<double> Midpoints(int count)
    {
        using var scope = NewDisposeScope();
        var boundaries = linspace(0.1, 1.0, count, ScalarType.Float32);
        var means = (boundaries[..^1] + boundaries[1..]) / 2.0;
        return means.data<float>().Select(value => (double)value).ToArray();
    }
}
