using TorchSharp;
using static TorchSharp.torch;

namespace SweepRunner.Training.Optimizers;

/// <summary>
/// The state an optimizer owns: tensors (fp32 moments, or 8-bit codes and per-block absmax), double scalars
/// (D-Adaptation's d and friends) and whole-number counters (step counts). Tensors are detached from every
/// dispose scope and released by <see cref="Dispose"/>. The state dict form keeps scalars as 0-dim float64
/// tensors and counters as 0-dim int64 tensors so that they round-trip exactly.
/// </summary>
sealed class OptimizerState : IDisposable
{
    readonly Dictionary<string, Tensor> tensors = new(StringComparer.Ordinal);
    readonly Dictionary<string, double> scalars = new(StringComparer.Ordinal);
    readonly Dictionary<string, long> counters = new(StringComparer.Ordinal);

    public bool Contains(string key) => tensors.ContainsKey(key);

    public Tensor Tensor(string key) => tensors.TryGetValue(key, out var tensor)
        ? tensor
        : throw new KeyNotFoundException($"optimizer state has no tensor '{key}'");

    /// <summary>The tensor under <paramref name="key"/>, created (and taken out of any dispose scope) on first use.</summary>
    public Tensor GetOrAdd(string key, Func<Tensor> create)
    {
        if (tensors.TryGetValue(key, out var existing))
        {
            return existing;
        }

        var created = create();
        created.DetachFromDisposeScope();
        tensors.Add(key, created);
        return created;
    }

    public double Scalar(string key) => scalars.TryGetValue(key, out var value)
        ? value
        : throw new KeyNotFoundException($"optimizer state has no scalar '{key}'");

    public void SetScalar(string key, double value) => scalars[key] = value;

    public long Counter(string key) => counters.GetValueOrDefault(key);

    public void SetCounter(string key, long value) => counters[key] = value;

    /// <summary>Copies of everything, which the caller owns.</summary>
    public Dictionary<string, Tensor> Export()
    {
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (key, tensor) in tensors)
        {
            result.Add(key, tensor.detach().clone());
        }

        foreach (var (key, value) in scalars)
        {
            result.Add(key, torch.tensor(value, ScalarType.Float64));
        }

        foreach (var (key, value) in counters)
        {
            result.Add(key, torch.tensor(value, ScalarType.Int64));
        }

        return result;
    }

    /// <summary>Replaces everything with copies of <paramref name="entries"/>, whose kinds the caller has checked.</summary>
    public void Import(IEnumerable<KeyValuePair<string, Tensor>> entries, Func<string, StateEntryKind> kindOf)
    {
        var newTensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var newScalars = new Dictionary<string, double>(StringComparer.Ordinal);
        var newCounters = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (key, value) in entries)
        {
            switch (kindOf(key))
            {
                case StateEntryKind.Scalar:
                    newScalars.Add(key, value.item<double>());
                    break;
                case StateEntryKind.Counter:
                    newCounters.Add(key, value.item<long>());
                    break;
                default:
                    var copy = value.detach().clone().contiguous();
                    copy.DetachFromDisposeScope();
                    newTensors.Add(key, copy);
                    break;
            }
        }

        DisposeTensors();
        foreach (var (key, tensor) in newTensors)
        {
            tensors.Add(key, tensor);
        }

        scalars.Clear();
        foreach (var (key, value) in newScalars)
        {
            scalars.Add(key, value);
        }

        counters.Clear();
        foreach (var (key, value) in newCounters)
        {
            counters.Add(key, value);
        }
    }

    public void Dispose()
    {
        DisposeTensors();
        scalars.Clear();
        counters.Clear();
    }

    void DisposeTensors()
    {
        foreach (var tensor in tensors.Values)
        {
            tensor.Dispose();
        }

        tensors.Clear();
    }
}
