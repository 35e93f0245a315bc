using SweepRunner.Training.Optimizers;
using TorchSharp;
using static TorchSharp.torch;

namespace SweepRunner.Training.Tests.Optimizers;

/// <summary>What every optimizer must do: train, resume bit for bit, and leave no tensors behind.</summary>
public class OptimizerBehaviourTests
{
    /// <summary>Each optimizer at the learning rate it is used with (DAdapt/Prodigy: a multiplier; Adafactor: ignored).</summary>
    public static TheoryData<string, double, string?> UsualSettings => new()
    {
        { "AdamW", 1e-3, null },
        { "AdamW8bit", 1e-3, null },
        { "Lion", 1e-4, null },
        { "Lion8bit", 1e-4, null },
        { "SGDNesterov", 1e-2, null },
        { "DAdaptation", 1.0, null },
        { "DAdaptAdam", 1.0, "decouple=True weight_decay=0.01" },
        { "Prodigy", 1.0, null },
        { "Prodigy", 1.0, "d_coef=1.0 decouple=True use_bias_correction=True safeguard_warmup=True weight_decay=0.01" },
        { "Adafactor", 1e-4, null },
        { "Adafactor", 1e-3, "relative_step=False scale_parameter=False" },
    };

    /// <summary>Lion moves every weight by lr per step, so at 1e-4 it needs more steps; its 8-bit momentum lags a little.</summary>
    public static TheoryData<string, double, string?, int> ConvergenceSettings => new()
    {
        { "AdamW", 1e-3, null, 800 },
        { "AdamW8bit", 1e-3, null, 800 },
        { "Lion", 1e-4, null, 1300 },
        { "Lion8bit", 1e-4, null, 1600 },
        { "SGDNesterov", 1e-2, null, 800 },
        { "DAdaptation", 1.0, null, 800 },
        { "DAdaptAdam", 1.0, "decouple=True weight_decay=0.01", 800 },
        { "Prodigy", 1.0, null, 800 },
        { "Prodigy", 1.0, "d_coef=1.0 decouple=True use_bias_correction=True safeguard_warmup=True weight_decay=0.01", 800 },
        { "Adafactor", 1e-4, null, 800 },
        { "Adafactor", 1e-3, "relative_step=False scale_parameter=False", 800 },
    };

    [Theory]
    [MemberData(nameof(ConvergenceSettings))]
    public void MinimizesALeastSquaresProblemAtItsUsualLearningRate(string type, double lr, string? args, int steps)
    {
        using var problem = new LeastSquaresProblem(seed: 3);
        using var optimizer = OptimizerFactory.Create(type, problem.Groups(lr), args);
        var initial = problem.CurrentLoss();
        for (var step = 0; step < steps; step++)
        {
            problem.TrainStep(optimizer);
        }

        var final = problem.CurrentLoss();
        Assert.True(double.IsFinite(final), $"{type}: loss became {final}");
        Assert.True(final < initial / 100, $"{type}: loss went from {initial} to {final}, less than a 100-fold drop");
    }

    [Theory]
    [MemberData(nameof(UsualSettings))]
    public void ResumingFromAStateDictIsBitIdenticalToNotStopping(string type, double lr, string? args)
    {
        using var uninterrupted = new LeastSquaresProblem(seed: 5);
        using var resumed = new LeastSquaresProblem(seed: 5);
        using (var optimizer = OptimizerFactory.Create(type, uninterrupted.Groups(lr), args))
        {
            for (var step = 0; step < 12; step++)
            {
                uninterrupted.TrainStep(optimizer);
            }
        }

        IReadOnlyDictionary<string, Tensor> saved;
        using (var first = OptimizerFactory.Create(type, resumed.Groups(lr), args))
        {
            for (var step = 0; step < 5; step++)
            {
                resumed.TrainStep(first);
            }

            saved = first.StateDict();
        }

        using (var second = OptimizerFactory.Create(type, resumed.Groups(lr), args))
        {
            second.LoadStateDict(saved);
            for (var step = 5; step < 12; step++)
            {
                resumed.TrainStep(second);
            }
        }

        foreach (var value in saved.Values)
        {
            value.Dispose();
        }

        Assert.True(uninterrupted.Weight.equal(resumed.Weight).all().item<bool>(), $"{type}: weights differ after resuming");
        Assert.True(uninterrupted.Bias.equal(resumed.Bias).all().item<bool>(), $"{type}: biases differ after resuming");
    }

    [Theory]
    [MemberData(nameof(UsualSettings))]
    public void StepsLeaveNoLiveTensorsBehind(string type, double lr, string? args)
    {
        using var problem = new LeastSquaresProblem(seed: 7);
        var statistics = DisposeScopeManager.Statistics;
        var before = statistics.ThreadTotalLiveCount;
        long afterWarmUp;
        using (var optimizer = OptimizerFactory.Create(type, problem.Groups(lr), args))
        {
            problem.TrainStep(optimizer);
            afterWarmUp = statistics.ThreadTotalLiveCount;
            var created = statistics.CreatedInScopeCount;
            for (var step = 0; step < 30; step++)
            {
                problem.TrainStep(optimizer);
            }

            Assert.True(statistics.CreatedInScopeCount - created > 30 * 5, "the statistics saw no tensors being created");
            Assert.Equal(afterWarmUp, statistics.ThreadTotalLiveCount);
            problem.Weight.grad = null;
            problem.Bias.grad = null;
        }

        // Dispose released the state tensors the first step created.
        Assert.Equal(before, statistics.ThreadTotalLiveCount);
    }

    [Theory]
    [MemberData(nameof(UsualSettings))]
    public void StateDictsRoundTripEveryEntryExactly(string type, double lr, string? args)
    {
        using var problem = new LeastSquaresProblem(seed: 9);
        using var optimizer = OptimizerFactory.Create(type, problem.Groups(lr), args);
        for (var step = 0; step < 3; step++)
        {
            problem.TrainStep(optimizer);
        }

        using var scope = NewDisposeScope();
        var saved = optimizer.StateDict();
        using var other = OptimizerFactory.Create(type, problem.Groups(lr), args);
        other.LoadStateDict(saved);
        var again = other.StateDict();
        Assert.Equal(saved.Keys.Order(), again.Keys.Order());
        foreach (var (key, value) in saved)
        {
            Assert.Equal(value.dtype, again[key].dtype);
            Assert.True(value.shape.SequenceEqual(again[key].shape) && value.equal(again[key]).all().item<bool>(), $"{type}: state entry '{key}' changed in the round trip");
        }

        Assert.Equal(optimizer.EffectiveLearningRate(0), other.EffectiveLearningRate(0));
    }
}
