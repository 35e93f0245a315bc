using SweepRunner.Training.Optimizers;
using static TorchSharp.torch;

namespace SweepRunner.Training.Tests.Support;

/// <summary>
/// Test-only AdamW (torch.optim.AdamW defaults: betas 0.9/0.999, eps 1e-8, weight decay 0.01) behind the optimizer
/// contract, so trainer tests run without the optimizers of the production code.
/// </summary>
public sealed class TestAdamW : ILoraOptimizer
{
    const double Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-8, WeightDecay = 0.01;
    private readonly double[] _rates;
    private readonly Dictionary<string, Tensor> _state = new(StringComparer.Ordinal);
    private long _steps;

    public TestAdamW(IReadOnlyList<ParameterGroup> groups)
    {
        Groups = groups;
        _rates = groups.Select(g => g.LearningRate).ToArray();
    }

    public static TestAdamW Create(string optimizerType, IReadOnlyList<ParameterGroup> groups, string? optimizerArgs) =>
        optimizerType == "AdamW" ? new TestAdamW(groups) : throw new NotSupportedException($"TestAdamW cannot act as {optimizerType}.");

    public string Name => "AdamW";

    public IReadOnlyList<ParameterGroup> Groups { get; }

    public bool IgnoresLearningRate => false;

    public void SetLearningRate(int group, double learningRate) => _rates[group] = learningRate;

    public double EffectiveLearningRate(int group) => _rates[group];

    public void Step()
    {
        _steps++;
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var correction1 = 1 - Math.Pow(Beta1, _steps);
        var correction2 = 1 - Math.Pow(Beta2, _steps);
        for (var g = 0; g < Groups.Count; g++)
        {
            var lr = _rates[g];
            for (var i = 0; i < Groups[g].Parameters.Count; i++)
            {
                var parameter = Groups[g].Parameters[i];
                var grad = parameter.grad;
                if (grad is null) continue;
                var m = StateTensor($"{g}.{i}.exp_avg", parameter);
                var v = StateTensor($"{g}.{i}.exp_avg_sq", parameter);
                parameter.mul_(1 - lr * WeightDecay);
                m.mul_(Beta1).add_(grad, alpha: 1 - Beta1);
                v.mul_(Beta2).addcmul_(grad, grad, value: 1 - Beta2);
                var denominator = (v.sqrt() / Math.Sqrt(correction2)).add_(Epsilon);
                parameter.addcdiv_(m, denominator, value: -lr / correction1);
            }
        }
    }

    Tensor StateTensor(string name, Tensor like)
    {
        if (!_state.TryGetValue(name, out var state))
        {
            state = zeros_like(like);
            state.DetachFromDisposeScope();
            _state[name] = state;
        }
        return state;
    }

    public void ZeroGrad()
    {
        foreach (var group in Groups)
            foreach (var parameter in group.Parameters)
                parameter.grad?.zero_();
    }

    public IReadOnlyDictionary<string, Tensor> StateDict()
    {
        var copies = _state.ToDictionary(p => p.Key, p =>
        {
            var copy = p.Value.clone();
            copy.DetachFromDisposeScope();
            return copy;
        }, StringComparer.Ordinal);
        var steps = tensor(_steps);
        steps.DetachFromDisposeScope();
        copies["steps"] = steps;
        return copies;
    }

    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state)
    {
        foreach (var tensor in _state.Values) tensor.Dispose();
        _state.Clear();
        foreach (var (name, value) in state)
        {
            if (name == "steps")
            {
                _steps = value.item<long>();
                continue;
            }
            var copy = value.clone();
            copy.DetachFromDisposeScope();
            _state[name] = copy;
        }
    }

    public void Dispose()
    {
        foreach (var tensor in _state.Values) tensor.Dispose();
        _state.Clear();
    }
}
