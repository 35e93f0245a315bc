using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Modules;

/// <summary>What the loader does with one source key.</summary>
public enum KeyDisposition
{
    /// <summary>Load into the parameter of the (possibly rewritten) name.</summary>
    Load,

    /// <summary>A known key that is not a network parameter (schedule buffers, EMA copies, position ids).</summary>
    Ignore,
}

/// <summary>
/// Copies named tensors into a module's parameters under no_grad, checking names and shapes.
/// Source tensors stay owned by the caller; a lazy source may dispose each tensor once the enumeration moves on.
/// </summary>
public static class StateDictLoader
{
    /// <summary>
    /// Loads <paramref name="source"/> into <paramref name="target"/>. <paramref name="mapKey"/> turns a source key
    /// into a parameter name and a disposition. A 1×1 conv weight may come as a matrix and a matrix as a 1×1 conv
    /// weight ([512, 512] for [512, 512, 1, 1], as VAE attention weights converted from diffusers are); it is reshaped. Parameters are frozen when
    /// <paramref name="freeze"/> is set. Nothing is thrown; see <see cref="StateDictLoadReport.IsComplete"/>.
    /// </summary>
    public static StateDictLoadReport Load(
        nn.Module target,
        IEnumerable<KeyValuePair<string, Tensor>> source,
        Func<string, (string Name, KeyDisposition Disposition)> mapKey,
        bool freeze = true)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(mapKey);

        var parameters = new Dictionary<string, Parameter>(StringComparer.Ordinal);
        foreach (var (name, parameter) in target.named_parameters())
        {
            parameters[name] = parameter;
        }

        var filled = new HashSet<string>(StringComparer.Ordinal);
        var unexpected = new List<string>();
        var mismatches = new List<ShapeMismatch>();
        var ignored = new List<string>();

        using (no_grad())
        {
            foreach (var (key, tensor) in source)
            {
                var (name, disposition) = mapKey(key);
                if (disposition == KeyDisposition.Ignore)
                {
                    ignored.Add(key);
                    continue;
                }

                if (!parameters.TryGetValue(name, out var parameter))
                {
                    unexpected.Add(key);
                    continue;
                }

                if (!filled.Add(name))
                {
                    unexpected.Add($"{key} (a second tensor for {name})");
                    continue;
                }

                if (!SameShape(parameter.shape, tensor.shape) && !IsConv1x1AsMatrix(parameter.shape, tensor.shape))
                {
                    mismatches.Add(new ShapeMismatch(key, parameter.shape, tensor.shape));
                    filled.Remove(name);
                    continue;
                }

                if (SameShape(parameter.shape, tensor.shape))
                {
                    parameter.copy_(tensor);
                }
                else
                {
                    using var reshaped = tensor.reshape(parameter.shape);
                    parameter.copy_(reshaped);
                }
            }
        }

        var missing = parameters.Keys.Where(name => !filled.Contains(name)).ToList();
        if (freeze)
        {
            foreach (var parameter in parameters.Values)
            {
                parameter.requires_grad = false;
            }
        }

        return new StateDictLoadReport(filled.Count, missing, unexpected, mismatches, ignored);
    }

    static bool SameShape(long[] a, long[] b) => a.AsSpan().SequenceEqual(b);

    static bool IsConv1x1AsMatrix(long[] expected, long[] actual) =>
        (IsConv1x1(expected) && actual.Length == 2 && expected[0] == actual[0] && expected[1] == actual[1]) ||
        (IsConv1x1(actual) && expected.Length == 2 && expected[0] == actual[0] && expected[1] == actual[1]);

    static bool IsConv1x1(long[] shape) => shape.Length == 4 && shape[2] == 1 && shape[3] == 1;
}
