using SweepRunner.Training.Optimizers;
using static SweepRunner.Training.Tests.Optimizers.OptimizerTestSupport;

namespace SweepRunner.Training.Tests.Optimizers;

public class SgdNesterovTests
{
    [Theory]
    [InlineData(null, 0.9, 0.0)]
    [InlineData("momentum=0.8 weight_decay=0.05", 0.8, 0.05)]
    public void FollowsTorchSgdWithNesterovMomentum(string? args, double momentum, double weightDecay)
    {
        const int n = 6;
        const double lr = 0.05;
        using var a = Param(Initial(n), 2, 3);
        using var optimizer = OptimizerFactory.Create("SGDNesterov", [Group("unet", lr, a)], args);
        var theta = Initial(n);
        double[]? buffer = null;
        for (var step = 0; step < 5; step++)
        {
            var grad = Gradient(step, n);
            optimizer.ZeroGrad();
            SetGrad(a, grad);
            optimizer.Step();

            var d = new double[n];
            for (var j = 0; j < n; j++)
            {
                d[j] = grad[j] + weightDecay * theta[j];
            }

            buffer = buffer is null ? (double[])d.Clone() : [.. buffer.Select((b, j) => momentum * b + d[j])];
            for (var j = 0; j < n; j++)
            {
                theta[j] -= lr * (d[j] + momentum * buffer[j]);
            }

            AssertClose(theta, Values(a), 1e-6, 1e-8, $"step {step + 1}");
        }
    }
}
