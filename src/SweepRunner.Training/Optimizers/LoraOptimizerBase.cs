using System.Globalization;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepRunner.Training.Optimizers;

/// <summary>
/// What every optimizer here shares: the groups and their learning rates, Step under no_grad inside a dispose
/// scope, ZeroGrad (gradients set to none, as torch's zero_grad does by default), and state dicts.
/// State dict keys: "{group}.{index}.{name}" for per-parameter state, "{group}.effective_lr" for the step size
/// last applied to a group, and bare names for optimizer-wide scalars and counters.
/// </summary>
public abstract class LoraOptimizerBase : ILoraOptimizer
{
    const string EffectiveLrName = "effective_lr";
    readonly ParameterGroup[] groups;
    bool disposed;

    protected LoraOptimizerBase(string name, IReadOnlyList<ParameterGroup> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        if (groups.Count == 0)
        {
            throw new ArgumentException($"{name}: at least one parameter group is needed", nameof(groups));
        }

        foreach (var group in groups)
        {
            CheckLearningRate(name, group.Name, group.LearningRate);
            foreach (var parameter in group.Parameters)
            {
                if (parameter.dtype != ScalarType.Float32)
                {
                    throw new ArgumentException($"{name}: parameters must be float32 (group '{group.Name}' has {parameter.dtype})", nameof(groups));
                }
            }
        }

        Name = name;
        this.groups = [.. groups];
        for (var g = 0; g < groups.Count; g++)
        {
            State.SetScalar(GroupKey(g, EffectiveLrName), groups[g].LearningRate);
        }
    }

    public string Name { get; }

    public IReadOnlyList<ParameterGroup> Groups => groups;

    public virtual bool IgnoresLearningRate => false;

    private protected OptimizerState State { get; } = new();

    public void SetLearningRate(int group, double learningRate)
    {
        CheckGroup(group);
        CheckLearningRate(Name, groups[group].Name, learningRate);
        groups[group] = groups[group] with { LearningRate = learningRate };
    }

    /// <summary>The step size applied to the group in the last step; before the first step, the group's learning rate.</summary>
    public double EffectiveLearningRate(int group)
    {
        CheckGroup(group);
        return State.Scalar(GroupKey(group, EffectiveLrName));
    }

    public void Step()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        StepCore();
    }

    public void ZeroGrad()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        using var scope = NewDisposeScope();
        foreach (var group in groups)
        {
            foreach (var parameter in group.Parameters)
            {
                if (parameter.grad is not null)
                {
                    parameter.grad = null;
                }
            }
        }
    }

    public IReadOnlyDictionary<string, Tensor> StateDict()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        return State.Export();
    }

    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentNullException.ThrowIfNull(state);
        var kinds = new Dictionary<string, StateEntryKind>(StringComparer.Ordinal);
        foreach (var (key, value) in state)
        {
            var expected = Describe(key) ?? throw new ArgumentException($"{Name}: unexpected optimizer state entry '{key}'", nameof(state));
            if (!expected.Matches(value))
            {
                throw new ArgumentException(
                    $"{Name}: optimizer state entry '{key}' is {value.dtype} [{string.Join(", ", value.shape)}], expected {expected.Describe()}",
                    nameof(state));
            }

            kinds.Add(key, expected.Kind);
        }

        var required = RequiredGlobalEntries.Concat(Enumerable.Range(0, groups.Length).Select(g => GroupKey(g, EffectiveLrName)));
        var stepped = state.Keys.Select(key => key.Split('.')).Where(parts => parts.Length == 3).Select(parts => (G: int.Parse(parts[0], CultureInfo.InvariantCulture), I: int.Parse(parts[1], CultureInfo.InvariantCulture))).Distinct();
        required = required.Concat(stepped.SelectMany(p => ParameterEntries(groups[p.G].Parameters[p.I]).Keys.Select(name => ParameterKey(p.G, p.I, name))));
        var missing = required.Where(key => !state.ContainsKey(key)).ToList();
        if (missing.Count > 0)
        {
            throw new ArgumentException($"{Name}: optimizer state lacks {string.Join(", ", missing)}", nameof(state));
        }

        State.Import(state, key => kinds[key]);
    }

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        State.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>One optimization step; runs under no_grad inside a dispose scope.</summary>
    protected abstract void StepCore();

    /// <summary>Every per-parameter entry a parameter has once it has been stepped, by name; a state dict has all of them or none.</summary>
    private protected abstract IReadOnlyDictionary<string, StateEntry> ParameterEntries(Parameter parameter);

    /// <summary>What an optimizer-wide entry must look like, or null if there is none by that name.</summary>
    private protected virtual StateEntry? DescribeGlobalEntry(string name) => null;

    /// <summary>Optimizer-wide entries a state dict must contain.</summary>
    private protected virtual IEnumerable<string> RequiredGlobalEntries => [];

    protected static string ParameterKey(int group, int index, string name) => $"{group}.{index}.{name}";

    protected static string GroupKey(int group, string name) => $"{group}.{name}";

    protected void SetEffectiveLearningRate(int group, double value) => State.SetScalar(GroupKey(group, EffectiveLrName), value);

    /// <summary>The parameters that have a gradient, with their group and index, in group order.</summary>
    protected IEnumerable<ParameterWithGrad> ParametersWithGrad()
    {
        for (var g = 0; g < groups.Length; g++)
        {
            var parameters = groups[g].Parameters;
            for (var i = 0; i < parameters.Count; i++)
            {
                var grad = parameters[i].grad;
                if (grad is not null)
                {
                    yield return new ParameterWithGrad(g, i, parameters[i], grad);
                }
            }
        }
    }

    /// <summary>The largest group learning rate; D-Adaptation and Prodigy allow other groups only 0 (frozen).</summary>
    protected double SharedLearningRate()
    {
        var lr = groups.Max(group => group.LearningRate);
        foreach (var group in groups)
        {
            if (group.LearningRate != lr && group.LearningRate != 0.0)
            {
                throw new InvalidOperationException(
                    $"{Name}: parameter groups must share one learning rate (or use 0 to freeze one): group '{group.Name}' has " +
                    $"{group.LearningRate.ToString(CultureInfo.InvariantCulture)}, another {lr.ToString(CultureInfo.InvariantCulture)}. " +
                    "The learning rate is a multiplier on the adapted step size; set the same value for the UNet and the text encoder.");
            }
        }

        return lr;
    }

    StateEntry? Describe(string key)
    {
        var parts = key.Split('.');
        switch (parts.Length)
        {
            case 1:
                return DescribeGlobalEntry(key);
            case 2 when TryIndex(parts[0], groups.Length, out _):
                return parts[1] == EffectiveLrName ? StateEntry.ScalarEntry : null;
            case 3 when TryIndex(parts[0], groups.Length, out var g) && TryIndex(parts[1], groups[g].Parameters.Count, out var i):
                return ParameterEntries(groups[g].Parameters[i]).GetValueOrDefault(parts[2]);
            default:
                return null;
        }
    }

    static bool TryIndex(string text, int count, out int index) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out index) && index < count;

    void CheckGroup(int group)
    {
        if (group < 0 || group >= groups.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(group), group, $"{Name} has {groups.Length} parameter group(s)");
        }
    }

    static void CheckLearningRate(string optimizer, string group, double learningRate)
    {
        if (!double.IsFinite(learningRate) || learningRate < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, $"{optimizer}: learning rate of group '{group}' must be finite and not negative");
        }
    }
}
