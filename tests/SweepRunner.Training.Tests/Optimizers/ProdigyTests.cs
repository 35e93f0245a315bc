using SweepRunner.Training.Optimizers;
using static SweepRunner.Training.Tests.Optimizers.OptimizerTestSupport;

namespace SweepRunner.Training.Tests.Optimizers;

public class ProdigyTests
{
    /// <summary>Prodigy (prodigyopt 1.1) written out in doubles over a list of parameters sharing one lr.</summary>
    sealed class Reference(double[][] initial, double lr, double weightDecay, bool decouple, bool biasCorrection, bool safeguardWarmup, double dCoef)
    {
        const double Beta1 = 0.9, Beta2 = 0.999, Eps = 1e-8, D0 = 1e-6;
        readonly double[][] x0 = [.. initial.Select(p => (double[])p.Clone())];
        readonly double[][] m = [.. initial.Select(p => new double[p.Length])];
        readonly double[][] v = [.. initial.Select(p => new double[p.Length])];
        readonly double[][] s = [.. initial.Select(p => new double[p.Length])];
        double numerator;
        double dMax = D0;
        int k;

        public double[][] Theta { get; } = [.. initial.Select(p => (double[])p.Clone())];

        public double D { get; private set; } = D0;

        public void Step(double[][] rawGrads)
        {
            var beta3 = Math.Sqrt(Beta2);
            var bc = biasCorrection ? Math.Sqrt(1 - Math.Pow(Beta2, k + 1)) / (1 - Math.Pow(Beta1, k + 1)) : 1;
            var d = D;
            var dlr = d * lr * bc;
            numerator *= beta3;
            double denominator = 0;
            for (var p = 0; p < Theta.Length; p++)
            {
                for (var j = 0; j < Theta[p].Length; j++)
                {
                    var g = rawGrads[p][j] + (decouple ? 0 : weightDecay * Theta[p][j]);
                    numerator += d / D0 * dlr * g * (x0[p][j] - Theta[p][j]);
                    m[p][j] = Beta1 * m[p][j] + d * (1 - Beta1) * g;
                    v[p][j] = Beta2 * v[p][j] + d * d * (1 - Beta2) * g * g;
                    s[p][j] = beta3 * s[p][j] + d / D0 * (safeguardWarmup ? d : dlr) * g;
                }

                denominator += s[p].Sum(Math.Abs);
            }

            var dHat = dCoef * numerator / denominator;
            if (d == D0)
            {
                d = Math.Max(d, dHat);
            }

            dMax = Math.Max(dMax, dHat);
            D = Math.Min(dMax, d * double.PositiveInfinity);
            for (var p = 0; p < Theta.Length; p++)
            {
                for (var j = 0; j < Theta[p].Length; j++)
                {
                    if (decouple)
                    {
                        Theta[p][j] -= weightDecay * dlr * Theta[p][j];
                    }

                    Theta[p][j] -= dlr * m[p][j] / (Math.Sqrt(v[p][j]) + D * Eps);
                }
            }

            k++;
        }
    }

    [Theory]
    [InlineData(null, 0.0, true, false, false, 1.0, 100.0)]
    [InlineData("weight_decay=0.1 decouple=False d_coef=2.0", 0.1, false, false, false, 2.0, 100.0)]
    [InlineData("weight_decay=0.01 decouple=True use_bias_correction=True safeguard_warmup=True", 0.01, true, true, true, 1.0, 1.1)]
    public void FollowsTheProdigyRuleAndDGrows(string? args, double weightDecay, bool decouple, bool biasCorrection, bool safeguardWarmup, double dCoef, double minimumGrowth)
    {
        using var a = Param(Initial(6, 1e-4), 2, 3);
        using var b = Param(new double[4], 4);
        using var optimizer = OptimizerFactory.Create("Prodigy", [Group("unet", 1.0, a), Group("te", 1.0, b)], args);
        var reference = new Reference([Initial(6, 1e-4), new double[4]], 1.0, weightDecay, decouple, biasCorrection, safeguardWarmup, dCoef);
        // Weights near zero (as LoRA weights start): fp32 then resolves x₀ − x, which the d estimate rests on.
        for (var step = 0; step < 16; step++)
        {
            double[][] grads = [Gradient(step, 6, 0.05, bias: 0.1), Gradient(step, 4, 0.05, bias: 0.1)];
            optimizer.ZeroGrad();
            SetGrad(a, grads[0]);
            SetGrad(b, grads[1]);
            optimizer.Step();
            reference.Step(grads);
            Assert.Equal(reference.D, Scalar(optimizer, "d"), reference.D * 1e-4);
            AssertClose(reference.Theta[0], Values(a), 1e-4, 1e-10, $"a after step {step + 1}");
            AssertClose(reference.Theta[1], Values(b), 1e-4, 1e-10, $"b after step {step + 1}");
        }

        // Bias correction and safeguard_warmup start d more slowly, as they are meant to.
        Assert.True(Scalar(optimizer, "d") > minimumGrowth * 1e-6, $"d only reached {Scalar(optimizer, "d")}");
    }

    [Theory]
    [InlineData("Prodigy")]
    [InlineData("DAdaptAdam")]
    public void AllZeroGradientsLeaveWeightsAndDUntouchedAndTheStateLoadable(string type)
    {
        using var a = Param(Initial(6, 0.05), 6);
        using var optimizer = OptimizerFactory.Create(type, [Group("unet", 1.0, a)], null);
        optimizer.ZeroGrad();
        SetGrad(a, new double[6]);
        optimizer.Step();
        Assert.Equal(Initial(6, 0.05), Values(a));
        Assert.Equal(1e-6, Scalar(optimizer, "d"));
        Assert.Equal(0, Scalar(optimizer, "k"));

        using var scope = TorchSharp.torch.NewDisposeScope();
        using var other = OptimizerFactory.Create(type, [Group("unet", 1.0, a)], null);
        other.LoadStateDict(optimizer.StateDict());
    }

    [Fact]
    public void AFrozenGroupWithLearningRateZeroIsAllowedAndDoesNotMove()
    {
        using var a = Param(Initial(6, 0.05), 6);
        using var b = Param(Initial(3, 0.05), 3);
        using var optimizer = OptimizerFactory.Create("Prodigy", [Group("unet", 1.0, a), Group("te", 0.0, b)], null);
        for (var step = 0; step < 3; step++)
        {
            optimizer.ZeroGrad();
            SetGrad(a, Gradient(step, 6, 0.05, bias: 0.1));
            SetGrad(b, Gradient(step, 3, 0.05, bias: 0.1));
            optimizer.Step();
        }

        Assert.Equal(Initial(3, 0.05), Values(b));
        Assert.NotEqual(Initial(6, 0.05), Values(a));
        Assert.Equal(0.0, optimizer.EffectiveLearningRate(1));
    }
}
