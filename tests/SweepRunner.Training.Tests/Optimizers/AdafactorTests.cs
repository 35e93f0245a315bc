using SweepRunner.Training.Optimizers;
using static SweepRunner.Training.Tests.Optimizers.OptimizerTestSupport;

namespace SweepRunner.Training.Tests.Optimizers;

public class AdafactorTests
{
    /// <summary>transformers' Adafactor for one parameter of shape [rows, columns] (or a vector when rows is 0), in doubles.</summary>
    sealed class Reference(double[] initial, int rows, int columns, bool relativeStep, bool scaleParameter, bool warmupInit, double? beta1, double weightDecay, double lr)
    {
        const double Eps1 = 1e-30, Eps2 = 1e-3, ClipThreshold = 1.0, DecayRate = -0.8;
        readonly double[] rowState = new double[Math.Max(rows, 1)];
        readonly double[] columnState = new double[columns];
        readonly double[] full = new double[initial.Length];
        readonly double[] m = new double[initial.Length];
        int step;

        public double[] Theta { get; } = (double[])initial.Clone();

        public double Alpha { get; private set; }

        public void Step(double[] grad)
        {
            step++;
            var n = Theta.Length;
            var rms = Math.Sqrt(Theta.Sum(x => x * x) / n);
            var rho = relativeStep ? Math.Min(warmupInit ? 1e-6 * step : 1e-2, 1 / Math.Sqrt(step)) : lr;
            Alpha = (scaleParameter ? Math.Max(Eps2, rms) : 1) * rho;
            var beta2t = 1 - Math.Pow(step, DecayRate);
            var update = new double[n];
            if (rows > 0)
            {
                for (var r = 0; r < rows; r++)
                {
                    var mean = Enumerable.Range(0, columns).Average(c => grad[r * columns + c] * grad[r * columns + c] + Eps1);
                    rowState[r] = beta2t * rowState[r] + (1 - beta2t) * mean;
                }

                for (var c = 0; c < columns; c++)
                {
                    var mean = Enumerable.Range(0, rows).Average(r => grad[r * columns + c] * grad[r * columns + c] + Eps1);
                    columnState[c] = beta2t * columnState[c] + (1 - beta2t) * mean;
                }

                // v̂[r, c] = R[r]·C[c] / mean(R): the rank-1 factored second moment of the paper.
                var rowMean = rowState.Average();
                for (var r = 0; r < rows; r++)
                {
                    for (var c = 0; c < columns; c++)
                    {
                        update[r * columns + c] = grad[r * columns + c] / Math.Sqrt(rowState[r] * columnState[c] / rowMean);
                    }
                }
            }
            else
            {
                for (var j = 0; j < n; j++)
                {
                    full[j] = beta2t * full[j] + (1 - beta2t) * (grad[j] * grad[j] + Eps1);
                    update[j] = grad[j] / Math.Sqrt(full[j]);
                }
            }

            var updateRms = Math.Sqrt(update.Sum(u => u * u) / n);
            var clip = Math.Max(1, updateRms / ClipThreshold);
            for (var j = 0; j < n; j++)
            {
                var u = update[j] / clip * Alpha;
                if (beta1 is { } b1)
                {
                    m[j] = b1 * m[j] + (1 - b1) * u;
                    u = m[j];
                }

                Theta[j] = Theta[j] - weightDecay * Alpha * Theta[j] - u;
            }
        }
    }

    [Theory]
    [InlineData(null, true, true, false, null, 0.0)]
    [InlineData("warmup_init=True weight_decay=0.1", true, true, true, null, 0.1)]
    [InlineData("relative_step=False scale_parameter=True beta1=0.9 weight_decay=0.05", false, true, false, 0.9, 0.05)]
    [InlineData("relative_step=False scale_parameter=False", false, false, false, null, 0.0)]
    public void FollowsTheAdafactorRuleForFactoredAndUnfactoredParameters(string? args, bool relativeStep, bool scaleParameter, bool warmupInit, double? beta1, double weightDecay)
    {
        const double lr = 0.02;
        using var matrix = Param(Initial(12), 3, 4);
        using var vector = Param(Initial(5, 0.0005), 5);
        using var optimizer = OptimizerFactory.Create("Adafactor", [Group("unet", lr, matrix, vector)], args);
        var factored = new Reference(Initial(12), 3, 4, relativeStep, scaleParameter, warmupInit, beta1, weightDecay, lr);
        var unfactored = new Reference(Initial(5, 0.0005), 0, 5, relativeStep, scaleParameter, warmupInit, beta1, weightDecay, lr);
        for (var step = 0; step < 5; step++)
        {
            var g1 = Gradient(step, 12, 0.1, bias: 0.05);
            var g2 = Gradient(step, 5, 0.3);
            optimizer.ZeroGrad();
            SetGrad(matrix, g1);
            SetGrad(vector, g2);
            optimizer.Step();
            factored.Step(g1);
            unfactored.Step(g2);
            AssertClose(factored.Theta, Values(matrix), 2e-6, 1e-9, $"matrix after step {step + 1}");
            AssertClose(unfactored.Theta, Values(vector), 2e-6, 1e-11, $"vector after step {step + 1}");
            Assert.Equal(factored.Alpha, optimizer.EffectiveLearningRate(0), factored.Alpha * 1e-6);
        }

        Assert.Equal(relativeStep, optimizer.IgnoresLearningRate);
        var state = optimizer.StateDict();
        Assert.Equal([3L], state["0.0.exp_avg_sq_row"].shape);
        Assert.Equal([4L], state["0.0.exp_avg_sq_col"].shape);
        Assert.Equal([5L], state["0.1.exp_avg_sq"].shape);
        Assert.False(state.ContainsKey("0.0.exp_avg_sq"));
        foreach (var value in state.Values)
        {
            value.Dispose();
        }
    }

    [Fact]
    public void UnderRelativeStepTheLearningRateIsIgnored()
    {
        double[] Train(double lr, double scheduled)
        {
            using var a = Param(Initial(12), 3, 4);
            using var optimizer = OptimizerFactory.Create("Adafactor", [Group("unet", lr, a)], null);
            for (var step = 0; step < 4; step++)
            {
                optimizer.SetLearningRate(0, scheduled * (step + 1));
                optimizer.ZeroGrad();
                SetGrad(a, Gradient(step, 12));
                optimizer.Step();
            }

            return Values(a);
        }

        var small = Train(1e-4, 1e-4);
        var large = Train(0.1, 0.5);
        Assert.Equal(small, large);
        Assert.NotEqual(Initial(12), small);
    }

    [Fact]
    public void WithoutRelativeStepTheLearningRateMatters()
    {
        double[] Train(double lr)
        {
            using var a = Param(Initial(12), 3, 4);
            using var optimizer = OptimizerFactory.Create("Adafactor", [Group("unet", lr, a)], "relative_step=False");
            Assert.False(optimizer.IgnoresLearningRate);
            optimizer.ZeroGrad();
            SetGrad(a, Gradient(0, 12));
            optimizer.Step();
            return Values(a);
        }

        Assert.NotEqual(Train(1e-4), Train(0.1));
    }

    [Fact]
    public void BeforeTheFirstStepTheEffectiveLearningRateIsTheInitialOne()
    {
        using var a = Param(Initial(12), 3, 4);
        using var optimizer = OptimizerFactory.Create("Adafactor", [Group("unet", 1e-4, a)], null);
        Assert.Equal(1e-4, optimizer.EffectiveLearningRate(0));
    }
}
