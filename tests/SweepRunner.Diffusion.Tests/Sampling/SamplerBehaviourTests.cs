using SweepRunner.Diffusion.Sampling;
using SweepRunner.Diffusion.Schedulers;
using TorchSharp;
using static SweepRunner.Diffusion.Tests.Sampling.SamplerTestModels;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Tests.Sampling;

public class SamplerBehaviourTests
{
    public static TheoryData<SamplerKind> Kinds => [SamplerKind.Ddim, SamplerKind.Euler, SamplerKind.EulerAncestral];

    static SamplingRequest Request(long seed, int steps = 8) =>
        new(Context(0.3f, batch: 2), Context(0f, batch: 2), steps, 7.5, seed, LatentHeight: 4, LatentWidth: 6);

    [Theory]
    [MemberData(nameof(Kinds))]
    public void TheSameSeedGivesTheSameLatentsAndAnotherSeedDoesNot(SamplerKind kind)
    {
        using var scope = NewDisposeScope();
        var sampler = Samplers.Create(kind, DdpmSchedule.Sd15);
        var first = sampler.Sample(LinearPredictor, Request(42));
        var second = sampler.Sample(LinearPredictor, Request(42));
        var other = sampler.Sample(LinearPredictor, Request(43));
        Assert.Equal(new long[] { 2, 4, 4, 6 }, first.shape);
        Assert.True(first.equal(second).all().item<bool>());
        Assert.False(first.allclose(other));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void LiveTensorsDoNotGrowOver200Steps(SamplerKind kind)
    {
        using var outer = NewDisposeScope();
        var request = Request(7, steps: 200);
        var liveAfterStep = new List<long>();
        var counted = request with { OnStep = (_, _) => liveAfterStep.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount) };
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        var sampler = kind == SamplerKind.Ddim ? new DdimSampler(DdpmSchedule.Sd15, DdimOptions.Sd15 with { StepsOffset = 0 }) : Samplers.Create(kind, DdpmSchedule.Sd15);
        var result = sampler.Sample(LinearPredictor, counted);

        Assert.Equal(200, liveAfterStep.Count);
        Assert.Equal(liveAfterStep[0], liveAfterStep.Max());
        Assert.Equal(liveAfterStep[0], liveAfterStep.Min());
        Assert.Equal(before + 1, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        result.Dispose();
    }

    [Fact]
    public void CancellationStopsSamplingWithoutLeaking()
    {
        using var outer = NewDisposeScope();
        using var cancel = new CancellationTokenSource();
        var request = Request(1, steps: 50) with { OnStep = (done, _) => { if (done == 5) cancel.Cancel(); }, Cancellation = cancel.Token };
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        Assert.Throws<OperationCanceledException>(() => Samplers.Create(SamplerKind.EulerAncestral, DdpmSchedule.Sd15).Sample(LinearPredictor, request));
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void GuidanceScaleOneSkipsTheNegativePrompt()
    {
        using var scope = NewDisposeScope();
        var batches = new List<long>();
        Tensor Counting(Tensor latents, Tensor timesteps, Tensor context)
        {
            batches.Add(latents.shape[0]);
            return LinearPredictor(latents, timesteps, context);
        }
        Samplers.Create(SamplerKind.Ddim, DdpmSchedule.Sd15).Sample(Counting, Request(1, steps: 3) with { GuidanceScale = 1 });
        Assert.Equal(new long[] { 2, 2, 2 }, batches);
    }

    [Fact]
    public void MismatchedNegativeConditioningIsRejected()
    {
        using var scope = NewDisposeScope();
        var request = new SamplingRequest(Context(1f), Context(0f, batch: 2), 4, 7.5, 1, 2, 2);
        var error = Assert.Throws<ArgumentException>(() => Samplers.Create(SamplerKind.Ddim, DdpmSchedule.Sd15).Sample(LinearPredictor, request));
        Assert.Contains("negative-prompt", error.Message);
    }

    [Theory]
    [InlineData("ddim", SamplerKind.Ddim)]
    [InlineData("DDIM", SamplerKind.Ddim)]
    [InlineData("k_euler", SamplerKind.Euler)]
    [InlineData("euler_a", SamplerKind.EulerAncestral)]
    [InlineData("Euler a", SamplerKind.EulerAncestral)]
    public void SamplerNamesParse(string name, SamplerKind expected) => Assert.Equal(expected, Samplers.Parse(name));

    [Fact]
    public void UnimplementedSamplersAreNamedWithTheAlternatives()
    {
        var error = Assert.Throws<NotSupportedException>(() => Samplers.Parse("dpmsolver++"));
        Assert.Contains("dpmsolver++", error.Message);
        Assert.Contains("euler_a", error.Message);
    }

    [Fact]
    public void DisplayNamesAreAutomatic1111s()
    {
        Assert.Equal("DDIM", Samplers.Create(SamplerKind.Ddim, DdpmSchedule.Sd15).DisplayName);
        Assert.Equal("Euler", Samplers.Create(SamplerKind.Euler, DdpmSchedule.Sd15).DisplayName);
        Assert.Equal("Euler a", Samplers.Create(SamplerKind.EulerAncestral, DdpmSchedule.Sd15).DisplayName);
    }
}
