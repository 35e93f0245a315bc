using SweepRunner.Diffusion.Sampling;
using SweepRunner.Diffusion.Schedulers;
using static SweepRunner.Diffusion.Tests.Sampling.SamplerTestModels;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Tests.Sampling;

public class DdimSamplerTests
{
    [Fact]
    public void LeadingSpacingWithStepsOffsetOneMatchesSd15()
    {
        var timesteps = new DdimSampler(DdpmSchedule.Sd15).Timesteps(30);
        Assert.Equal(30, timesteps.Count);
        Assert.Equal(958, timesteps[0]); // 29 * 33 + 1
        Assert.Equal(925, timesteps[1]);
        Assert.Equal(1, timesteps[^1]);
        Assert.Equal(new[] { 957, 924 }, new DdimSampler(DdpmSchedule.Sd15, DdimOptions.SdScripts).Timesteps(30).Take(2));
    }

    [Fact]
    public void TooManyStepsForTheOffsetAreRejected()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new DdimSampler(DdpmSchedule.Sd15).Timesteps(1000));
        Assert.Contains("fewer steps", error.Message);
    }

    [Fact]
    public void TwoGuidedStepsMatchTheDdimFormulas()
    {
        using var scope = NewDisposeScope();
        var seen = new List<(float[] Timesteps, float[] Contexts)>();
        Tensor Recording(Tensor latents, Tensor timesteps, Tensor context)
        {
            seen.Add((timesteps.data<float>().ToArray(), context.select(1, 0).select(1, 0).data<float>().ToArray()));
            return LinearPredictor(latents, timesteps, context);
        }
        var request = new SamplingRequest(Context(1f), Context(0f), Steps: 2, GuidanceScale: 7.5, Seed: 11, LatentHeight: 3, LatentWidth: 2);

        var result = new DdimSampler(DdpmSchedule.Sd15).Sample(Recording, request);

        // Independent double-precision evaluation: timesteps 501 then 1, ε = 0.1·x + 7.5 after guidance.
        var x = Noise(11, [1, 4, 3, 2]).to_type(ScalarType.Float64);
        var schedule = DdpmSchedule.Sd15;
        foreach (var (t, previous) in new[] { (501, 1), (1, -499) })
        {
            double a = schedule.AlphaCumprod(t), aPrev = previous >= 0 ? schedule.AlphaCumprod(previous) : schedule.AlphaCumprod(0);
            var eps = 0.1 * x + 7.5;
            var x0 = (x - Math.Sqrt(1 - a) * eps) / Math.Sqrt(a);
            x = Math.Sqrt(aPrev) * x0 + Math.Sqrt(1 - aPrev) * eps;
        }
        Assert.True(result.to_type(ScalarType.Float64).allclose(x, rtol: 1e-5, atol: 1e-5));
        Assert.Equal(2, seen.Count);
        Assert.Equal(new[] { 501f, 501f }, seen[0].Timesteps);
        Assert.Equal(new[] { 1f, 1f }, seen[1].Timesteps);
        Assert.Equal(new[] { 0f, 1f }, seen[0].Contexts); // negative prompt first
    }

    [Fact]
    public void ClipSampleClampsThePredictedOriginal()
    {
        using var scope = NewDisposeScope();
        var request = new SamplingRequest(Context(50f), null, Steps: 1, GuidanceScale: 1, Seed: 5, LatentHeight: 2, LatentWidth: 2);
        // One step from t = 0 (steps_offset 0) to the final alpha 1: the result is the predicted x0 itself.
        var result = new DdimSampler(DdpmSchedule.Sd15, DdimOptions.SdScripts).Sample(LinearPredictor, request);
        Assert.True(result.abs().max().item<float>() <= 1f);
        var unclipped = new DdimSampler(DdpmSchedule.Sd15, DdimOptions.SdScripts with { ClipSample = false }).Sample(LinearPredictor, request);
        Assert.True(unclipped.abs().max().item<float>() > 1f);
    }
}
