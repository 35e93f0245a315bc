using SweepRunner.Diffusion.Schedulers;
using TorchSharp;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Tests.Schedulers;

public class DdpmScheduleTests
{
    /// <summary>ᾱ_t = Π_{i≤t} (1 − β_i), β_i = (√0.00085 + i·(√0.012 − √0.00085)/999)², in double precision.</summary>
    static double ClosedFormAlphaCumprod(int t)
    {
        double start = Math.Sqrt(0.00085), end = Math.Sqrt(0.012), product = 1;
        for (var i = 0; i <= t; i++)
        {
            var root = start + i * (end - start) / 999;
            product *= 1 - root * root;
        }
        return product;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(250)]
    [InlineData(500)]
    [InlineData(999)]
    public void AlphasCumprodMatchTheClosedForm(int t)
    {
        var expected = ClosedFormAlphaCumprod(t);
        Assert.Equal(expected, DdpmSchedule.Sd15.AlphaCumprod(t), expected * 2e-5);
    }

    [Fact]
    public void TheFirstAlphaIsOneMinusTheFirstBeta() =>
        Assert.Equal(1 - 0.00085, DdpmSchedule.Sd15.AlphaCumprod(0), 1e-7);

    [Fact]
    public void SigmasSpanTheRangeKDiffusionUsersKnow()
    {
        // k-diffusion / AUTOMATIC1111 report sigma_max 14.6146 and sigma_min 0.0292 for SD 1.x.
        Assert.Equal(14.6146, DdpmSchedule.Sd15.Sigma(999), 1e-3);
        Assert.Equal(0.0292, DdpmSchedule.Sd15.Sigma(0), 1e-4);
    }

    [Fact]
    public void AddNoiseMixesPerSample()
    {
        using var scope = NewDisposeScope();
        var x0 = ones(2, 4, 3, 3);
        var noise = full(2, 4, 3, 3, 2f);
        var noisy = DdpmSchedule.Sd15.AddNoise(x0, noise, tensor(new long[] { 0, 999 }));
        double a0 = ClosedFormAlphaCumprod(0), a999 = ClosedFormAlphaCumprod(999);
        Assert.Equal(Math.Sqrt(a0) + 2 * Math.Sqrt(1 - a0), noisy[0, 3, 2, 1].item<float>(), 1e-5);
        Assert.Equal(Math.Sqrt(a999) + 2 * Math.Sqrt(1 - a999), noisy[1, 0, 0, 0].item<float>(), 1e-5);
    }

    [Fact]
    public void AddNoiseRejectsTimestepsOutsideTheSchedule()
    {
        using var scope = NewDisposeScope();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => DdpmSchedule.Sd15.AddNoise(ones(1, 4, 2, 2), ones(1, 4, 2, 2), tensor(new long[] { 1000 })));
        Assert.Contains("1000", error.Message);
    }

    [Fact]
    public void SnrAndMinSnrWeightFollowTheirDefinitions()
    {
        using var scope = NewDisposeScope();
        var t = tensor(new long[] { 0, 300, 999 });
        var snr = DdpmSchedule.Sd15.Snr(t).data<float>().ToArray();
        var weight = DdpmSchedule.Sd15.MinSnrWeight(t, 5).data<float>().ToArray();
        for (var i = 0; i < 3; i++)
        {
            var step = new[] { 0, 300, 999 }[i];
            var alpha = ClosedFormAlphaCumprod(step);
            var expectedSnr = alpha / (1 - alpha);
            Assert.Equal(expectedSnr, snr[i], expectedSnr * 1e-4);
            Assert.Equal(Math.Min(expectedSnr, 5) / expectedSnr, weight[i], 1e-5);
        }
        Assert.Equal(1175.47, snr[0], 0.1); // 0.99915 / 0.00085
        Assert.Equal(1f, weight[2]);
    }

    [Fact]
    public void EpsilonTargetIsTheNoise()
    {
        using var scope = NewDisposeScope();
        var noise = randn(2, 4, 8, 8);
        Assert.True(DdpmSchedule.EpsilonTarget(noise).equal(noise).all().item<bool>());
    }

    [Fact]
    public void SampledTimestepsAreReproducibleAndInRange()
    {
        using var scope = NewDisposeScope();
        using var g1 = new Generator(7);
        using var g2 = new Generator(7);
        var first = DdpmSchedule.Sd15.SampleTimesteps(256, g1);
        var second = DdpmSchedule.Sd15.SampleTimesteps(256, g2);
        Assert.Equal(first.data<long>().ToArray(), second.data<long>().ToArray());
        Assert.True(first.min().item<long>() >= 0 && first.max().item<long>() < 1000);
    }

    [Fact]
    public void NoiseOffsetAddsOneConstantPerSampleAndChannel()
    {
        using var scope = NewDisposeScope();
        var noise = randn(2, 4, 8, 8);
        using var generator = new Generator(3);
        var offset = NoiseOffset.Apply(noise, 0.1, generator) - noise;
        Assert.True(offset.std(new long[] { 2, 3 }).max().item<float>() < 1e-6);
        Assert.True(offset.abs().max().item<float>() > 0);
        Assert.Equal(new long[] { 2, 4, 8, 8 }, offset.shape);
        using var again = new Generator(3);
        Assert.True((NoiseOffset.Apply(noise, 0.1, again) - noise).allclose(offset));
    }
}
