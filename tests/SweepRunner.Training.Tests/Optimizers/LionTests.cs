using SweepRunner.Training.Optimizers;
using static SweepRunner.Training.Tests.Optimizers.OptimizerTestSupport;

namespace SweepRunner.Training.Tests.Optimizers;

public class LionTests
{
    /// <summary>The Lion paper's rule in doubles: θ ← θ(1 − lr·λ) − lr·sign(β1m + (1−β1)g); m ← β2m + (1−β2)g.</summary>
    static void ReferenceStep(double[] theta, double[] m, double[] grad, double lr, double beta1, double beta2, double weightDecay)
    {
        for (var j = 0; j < theta.Length; j++)
        {
            var c = beta1 * m[j] + (1 - beta1) * grad[j];
            theta[j] = theta[j] * (1 - lr * weightDecay) - lr * Math.Sign(c);
            m[j] = beta2 * m[j] + (1 - beta2) * grad[j];
        }
    }

    [Theory]
    [InlineData("Lion")]
    [InlineData("Lion8bit")]
    public void MovesEveryWeightByExactlyLrTimesTheSignOfTheInterpolatedMomentum(string type)
    {
        const int n = 12;
        using var a = Param(Initial(n), 3, 4);
        using var optimizer = OptimizerFactory.Create(type, [Group("unet", 1e-3, a)], "weight_decay=0.5 betas=0.9,0.99");
        var theta = Initial(n);
        var m = new double[n];
        for (var step = 0; step < 6; step++)
        {
            // The gradient flips sign at step 3, so the momentum and the sign of the update disagree for a while.
            var grad = Gradient(step, n, 0.1, bias: step < 3 ? 1 : -1);
            optimizer.ZeroGrad();
            SetGrad(a, grad);
            var before = Values(a);
            ReferenceStep(theta, m, grad, 1e-3, 0.9, 0.99, 0.5);
            optimizer.Step();
            var after = Values(a);
            AssertClose(theta, after, 1e-6, 1e-8, $"step {step + 1}");
            for (var j = 0; j < n; j++)
            {
                var decayed = before[j] * (1 - 1e-3 * 0.5);
                Assert.Equal(1e-3, Math.Abs(after[j] - decayed), 6);
            }
        }
    }

    [Fact]
    public void UsesLionPytorchDefaults()
    {
        const int n = 7;
        using var a = Param(Initial(n), n);
        using var optimizer = OptimizerFactory.Create("Lion", [Group("unet", 1e-4, a)], null);
        var theta = Initial(n);
        var m = new double[n];
        for (var step = 0; step < 4; step++)
        {
            var grad = Gradient(step, n);
            optimizer.ZeroGrad();
            SetGrad(a, grad);
            ReferenceStep(theta, m, grad, 1e-4, 0.9, 0.99, 0);
            optimizer.Step();
        }

        AssertClose(theta, Values(a), 1e-6, 1e-9);
    }
}
