using TorchSharp;
using static TorchSharp.torch;

namespace SweepRunner.TestSupport;

public static class TestWeights
{
    /// <summary>
    /// Overwrites every parameter with seeded random values that keep activations near unit scale: matrices and
    /// kernels normal(0, 1/√fan_in), 1-D weights (norm scales) normal(1, 0.1), biases normal(0, 0.1). Zero-initialised
    /// output layers then no longer hide differences between forward passes.
    /// </summary>
    public static void Randomize(nn.Module module, long seed)
    {
        using var generator = new Generator((ulong)seed);
        using var _ = no_grad();
        foreach (var (name, parameter) in module.named_parameters())
        {
            if (parameter.dim() > 1)
            {
                var fanIn = parameter.numel() / parameter.shape[0];
                parameter.normal_(0.0, 1.0 / Math.Sqrt(fanIn), generator);
            }
            else if (name.EndsWith("weight", StringComparison.Ordinal))
            {
                parameter.normal_(1.0, 0.1, generator);
            }
            else
            {
                parameter.normal_(0.0, 0.1, generator);
            }
        }
    }

    /// <summary>The model's parameters as an LDM-named dictionary of independent copies.</summary>
    public static Dictionary<string, Tensor> CloneStateDict(nn.Module module)
    {
        var copies = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, parameter) in module.named_parameters())
        {
            copies[name] = parameter.detach().clone();
        }

        return copies;
    }

    public static void DisposeAll(IEnumerable<Tensor> tensors)
    {
        foreach (var tensor in tensors)
        {
            tensor.Dispose();
        }
    }

    /// <summary>Same shape, same dtype and bitwise-equal elements.</summary>
    public static bool Identical(Tensor a, Tensor b)
    {
        if (!a.shape.SequenceEqual(b.shape) || a.dtype != b.dtype)
        {
            return false;
        }

        using var equal = a.eq(b);
        using var all = equal.all();
        return all.item<bool>();
    }

    public static string Shape(long[] shape) => "[" + string.Join(", ", shape) + "]";
}
