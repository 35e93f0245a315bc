using SweepRunner.TestSupport;
using SweepRunner.Diffusion.Vae;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Tests.Vae;

public class AutoencoderKLTests
{
    [Fact]
    public void EncodeAndDecodeUseFactorEight()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        using var vae = new AutoencoderKL(VaeConfig.Tiny);
        TestWeights.Randomize(vae, 2);
        var images = rand(2, 3, 32, 48) * 2 - 1;

        using var distribution = vae.Encode(images);
        var decoded = vae.Decode(distribution.Mean);

        Assert.Equal(new long[] { 2, 4, 4, 6 }, distribution.Mean.shape);
        Assert.Equal(new long[] { 2, 3, 32, 48 }, decoded.shape);
        Assert.True(decoded.max().item<float>() <= 1f && decoded.min().item<float>() >= -1f);
    }

    [Fact]
    public void SamplingIsReproducibleWithAGenerator()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var vae = new AutoencoderKL(VaeConfig.Tiny);
        TestWeights.Randomize(vae, 4);
        using var distribution = vae.Encode(rand(1, 3, 16, 16));

        using var first = new Generator(42);
        using var second = new Generator(42);
        var a = distribution.Sample(first);
        var b = distribution.Sample(second);

        Assert.True(TestWeights.Identical(a, b));
        Assert.False(a.allclose(distribution.Mean));
    }

    [Fact]
    public void ScaledLatentsAreTheMeanTimesTheScalingFactor()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        using var vae = new AutoencoderKL(VaeConfig.Tiny);
        TestWeights.Randomize(vae, 6);
        var images = rand(1, 3, 16, 16);

        using var distribution = vae.Encode(images);
        var latents = vae.EncodeToLatents(images);

        Assert.Equal(0.18215, VaeConfig.Sd15ScalingFactor);
        Assert.True(latents.allclose(distribution.Mean * 0.18215));
        Assert.True(vae.DecodeLatents(latents).allclose(vae.Decode(distribution.Mean), atol: 1e-5));
    }
}
