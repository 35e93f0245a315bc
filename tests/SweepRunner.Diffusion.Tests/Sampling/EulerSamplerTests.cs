using SweepRunner.Diffusion.Sampling;
using SweepRunner.Diffusion.Schedulers;
using static SweepRunner.Diffusion.Tests.Sampling.SamplerTestModels;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Tests.Sampling;

public class EulerSamplerTests
{
    [Fact]
    public void SigmasRunFromSigmaMaxToZero()
    {
        var (timesteps, sigmas) = KDiffusionSigmas.For(DdpmSchedule.Sd15, 2);
        Assert.Equal(new double[] { 999, 0 }, timesteps);
        Assert.Equal(14.6146, sigmas[0], 1e-3);
        Assert.Equal(0.0292, sigmas[1], 1e-4);
        Assert.Equal(0, sigmas[2]);
    }

    [Fact]
    public void FractionalTimestepsInterpolateInLogSpace()
    {
        var (timesteps, sigmas) = KDiffusionSigmas.For(DdpmSchedule.Sd15, 3);
        Assert.Equal(499.5, timesteps[1]);
        var expected = Math.Sqrt(DdpmSchedule.Sd15.Sigma(499) * DdpmSchedule.Sd15.Sigma(500));
        Assert.Equal(expected, sigmas[1], 1e-9);
    }

    [Fact]
    public void OneEulerStepScalesTheInputAndLandsOnTheDenoisedLatents()
    {
        using var scope = NewDisposeScope();
        var inputs = new List<Tensor>();
        Tensor Identity(Tensor latents, Tensor timesteps, Tensor context)
        {
            Assert.Equal(999f, timesteps[0].item<float>());
            return latents.clone();
        }
        var request = new SamplingRequest(Context(0f), null, Steps: 1, GuidanceScale: 1, Seed: 3, LatentHeight: 2, LatentWidth: 3);
        var result = new EulerSampler(DdpmSchedule.Sd15, ancestral: false).Sample(Identity, request);

        var sigma = DdpmSchedule.Sd15.Sigma(999);
        var x = Noise(3, [1, 4, 2, 3]).to_type(ScalarType.Float64) * sigma;
        var expected = x + x / Math.Sqrt(sigma * sigma + 1) * (0 - sigma);
        Assert.True(result.to_type(ScalarType.Float64).allclose(expected, rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void EulerAncestralAddsFreshNoiseButEulerDoesNot()
    {
        using var scope = NewDisposeScope();
        var request = new SamplingRequest(Context(0.5f), Context(0f), Steps: 6, GuidanceScale: 3, Seed: 21, LatentHeight: 4, LatentWidth: 4);
        var euler = new EulerSampler(DdpmSchedule.Sd15, ancestral: false).Sample(LinearPredictor, request);
        var ancestral = new EulerSampler(DdpmSchedule.Sd15, ancestral: true).Sample(LinearPredictor, request);
        Assert.False(euler.allclose(ancestral, rtol: 1e-3, atol: 1e-3));
        Assert.True(euler.isfinite().all().item<bool>() && ancestral.isfinite().all().item<bool>());
    }
}
