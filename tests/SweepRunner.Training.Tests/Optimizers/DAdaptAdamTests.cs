using SweepRunner.Training.Optimizers;
using static SweepRunner.Training.Tests.Optimizers.OptimizerTestSupport;

namespace SweepRunner.Training.Tests.Optimizers;

public class DAdaptAdamTests
{
    /// <summary>DAdaptAdam (dadaptation 3.x) written out in doubles over a list of parameters sharing one lr.</summary>
    sealed class Reference(double[][] initial, double lr, double weightDecay, bool decouple, bool biasCorrection)
    {
        const double Beta1 = 0.9, Beta2 = 0.999, Eps = 1e-8;
        readonly double[][] m = [.. initial.Select(p => new double[p.Length])];
        readonly double[][] v = [.. initial.Select(p => new double[p.Length])];
        readonly double[][] s = [.. initial.Select(p => new double[p.Length])];
        double numerator;
        int k;

        public double[][] Theta { get; } = [.. initial.Select(p => (double[])p.Clone())];

        public double D { get; private set; } = 1e-6;

        public void Step(double[][] rawGrads)
        {
            var bc = biasCorrection ? Math.Sqrt(1 - Math.Pow(Beta2, k + 1)) / (1 - Math.Pow(Beta1, k + 1)) : 1;
            var dlr = D * lr * bc;
            var sqrtBeta2 = Math.Sqrt(Beta2);
            double accumulated = 0, skL1 = 0;
            for (var p = 0; p < Theta.Length; p++)
            {
                for (var j = 0; j < Theta[p].Length; j++)
                {
                    var g = rawGrads[p][j] + (decouple ? 0 : weightDecay * Theta[p][j]);
                    accumulated += dlr * g * s[p][j] / (Math.Sqrt(v[p][j]) + Eps);
                    m[p][j] = Beta1 * m[p][j] + dlr * (1 - Beta1) * g;
                    v[p][j] = Beta2 * v[p][j] + (1 - Beta2) * g * g;
                    s[p][j] = sqrtBeta2 * s[p][j] + dlr * (1 - sqrtBeta2) * g;
                    skL1 += Math.Abs(s[p][j]);
                }
            }

            numerator = sqrtBeta2 * numerator + (1 - sqrtBeta2) * accumulated;
            D = Math.Max(D, numerator / ((1 - sqrtBeta2) * skL1));
            for (var p = 0; p < Theta.Length; p++)
            {
                for (var j = 0; j < Theta[p].Length; j++)
                {
                    if (decouple)
                    {
                        Theta[p][j] -= weightDecay * dlr * Theta[p][j];
                    }

                    Theta[p][j] -= m[p][j] / (Math.Sqrt(v[p][j]) + Eps);
                }
            }

            k++;
        }
    }

    [Theory]
    [InlineData("DAdaptAdam", "weight_decay=0.1", 0.1, false, false)]
    [InlineData("DAdaptation", "weight_decay=0.1 decouple=True use_bias_correction=True", 0.1, true, true)]
    public void FollowsTheDAdaptAdamRuleAndDGrowsFromD0(string type, string args, double weightDecay, bool decouple, bool biasCorrection)
    {
        using var a = Param(Initial(6, 0.01), 2, 3);
        using var b = Param(Initial(3, 0.02), 3);
        using var optimizer = OptimizerFactory.Create(type, [Group("unet", 1.0, a), Group("te", 1.0, b)], args);
        var reference = new Reference([Initial(6, 0.01), Initial(3, 0.02)], 1.0, weightDecay, decouple, biasCorrection);
        Assert.Equal(1e-6, Scalar(optimizer, "d"));
        for (var step = 0; step < 8; step++)
        {
            // A gradient with a steady direction, as in early training: d should grow.
            double[][] grads = [Gradient(step, 6, 0.05, bias: 0.1), Gradient(step, 3, 0.05, bias: 0.1)];
            optimizer.ZeroGrad();
            SetGrad(a, grads[0]);
            SetGrad(b, grads[1]);
            var dBefore = Scalar(optimizer, "d");
            optimizer.Step();
            reference.Step(grads);
            Assert.Equal(reference.D, Scalar(optimizer, "d"), reference.D * 1e-4);
            Assert.Equal(dBefore * (biasCorrection ? Math.Sqrt(1 - Math.Pow(0.999, step + 1)) / (1 - Math.Pow(0.9, step + 1)) : 1), optimizer.EffectiveLearningRate(0), dBefore * 1e-9);
            AssertClose(reference.Theta[0], Values(a), 1e-4, 1e-9, $"a after step {step + 1}");
            AssertClose(reference.Theta[1], Values(b), 1e-4, 1e-9, $"b after step {step + 1}");
        }

        Assert.True(Scalar(optimizer, "d") > 100 * 1e-6, $"d stayed at {Scalar(optimizer, "d")}");
        Assert.Equal(type, optimizer.Name);
    }

    [Fact]
    public void GroupsWithDifferentLearningRatesAreRejected()
    {
        using var a = Param(Initial(3), 3);
        using var b = Param(Initial(3), 3);
        var error = Assert.Throws<InvalidOperationException>(() => OptimizerFactory.Create("DAdaptAdam", [Group("unet", 1.0, a), Group("te", 0.5, b)], null));
        Assert.Contains("DAdaptAdam", error.Message);
        Assert.Contains("te", error.Message);
    }
}
