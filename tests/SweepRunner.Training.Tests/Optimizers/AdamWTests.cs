using SweepRunner.Training.Optimizers;
using static SweepRunner.Training.Tests.Optimizers.OptimizerTestSupport;

namespace SweepRunner.Training.Tests.Optimizers;

public class AdamWTests
{
    /// <summary>torch.optim.AdamW's update written out in doubles.</summary>
    sealed class Reference(double[] initial, double lr, double beta1, double beta2, double eps, double weightDecay)
    {
        readonly double[] m = new double[initial.Length];
        readonly double[] v = new double[initial.Length];
        int step;

        public double[] Theta { get; } = (double[])initial.Clone();

        public void Step(double[] grad)
        {
            step++;
            for (var j = 0; j < Theta.Length; j++)
            {
                Theta[j] *= 1 - lr * weightDecay;
                m[j] = beta1 * m[j] + (1 - beta1) * grad[j];
                v[j] = beta2 * v[j] + (1 - beta2) * grad[j] * grad[j];
                var mHat = m[j] / (1 - Math.Pow(beta1, step));
                var vHat = v[j] / (1 - Math.Pow(beta2, step));
                Theta[j] -= lr * mHat / (Math.Sqrt(vHat) + eps);
            }
        }
    }

    [Fact]
    public void FollowsTheAdamWRuleWithDecoupledWeightDecayPerGroup()
    {
        using var a = Param(Initial(6), 2, 3);
        using var b = Param(Initial(4, 0.3), 4);
        using var optimizer = OptimizerFactory.Create("AdamW", [Group("unet", 0.01, a), Group("te", 0.003, b)], "weight_decay=0.1 betas=0.8,0.95 eps=1e-6");
        var refA = new Reference(Initial(6), 0.01, 0.8, 0.95, 1e-6, 0.1);
        var refB = new Reference(Initial(4, 0.3), 0.003, 0.8, 0.95, 1e-6, 0.1);
        for (var step = 0; step < 5; step++)
        {
            optimizer.ZeroGrad();
            SetGrad(a, Gradient(step, 6));
            refA.Step(Gradient(step, 6));
            if (step % 2 == 0)
            {
                // b has no gradient on odd steps: it is skipped and its own step count does not advance.
                SetGrad(b, Gradient(step, 4, 0.02));
                refB.Step(Gradient(step, 4, 0.02));
            }

            optimizer.Step();
            AssertClose(refA.Theta, Values(a), 1e-6, 1e-7, $"a after step {step + 1}");
            AssertClose(refB.Theta, Values(b), 1e-6, 1e-7, $"b after step {step + 1}");
        }

        Assert.Equal(0.01, optimizer.EffectiveLearningRate(0));
        Assert.False(optimizer.IgnoresLearningRate);
    }

    [Fact]
    public void UsesTorchDefaultsAndTheLearningRateTheScheduleSets()
    {
        using var a = Param(Initial(5), 5);
        using var optimizer = OptimizerFactory.Create("adamw", [Group("unet", 1.0, a)], null);
        var reference = new Reference(Initial(5), 2e-3, 0.9, 0.999, 1e-8, 0.01);
        optimizer.SetLearningRate(0, 2e-3);
        for (var step = 0; step < 3; step++)
        {
            optimizer.ZeroGrad();
            SetGrad(a, Gradient(step, 5));
            reference.Step(Gradient(step, 5));
            optimizer.Step();
        }

        AssertClose(reference.Theta, Values(a), 1e-6, 1e-7);
        Assert.Equal("AdamW", optimizer.Name);
        Assert.Equal(2e-3, optimizer.Groups[0].LearningRate);
    }
}
