using SweepRunner.TestSupport;
using SweepRunner.Diffusion.Unet;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Tests.Unet;

public class UnetModelTests
{
    [Fact]
    public void ForwardKeepsTheLatentShape()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        using var unet = new UnetModel(UnetConfig.Tiny);
        TestWeights.Randomize(unet, 2);
        var latents = randn(2, 4, 16, 24);
        var context = randn(2, 77, 64);

        var output = unet.forward(latents, tensor(new long[] { 1, 999 }), context);

        Assert.Equal(new long[] { 2, 4, 16, 24 }, output.shape);
        Assert.False(output.isnan().any().item<bool>());
    }

    [Fact]
    public void OutputDependsOnTimestepAndContext()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var unet = new UnetModel(UnetConfig.Tiny);
        TestWeights.Randomize(unet, 4);
        var latents = randn(1, 4, 8, 8);
        var context = randn(1, 77, 64);
        var reference = unet.forward(latents, tensor(new long[] { 100 }), context);

        Assert.False(reference.allclose(unet.forward(latents, tensor(new long[] { 900 }), context)));
        Assert.False(reference.allclose(unet.forward(latents, tensor(new long[] { 100 }), randn(1, 77, 64))));
        Assert.True(TestWeights.Identical(reference, unet.forward(latents, tensor(100L), context)), "a 0-dim timestep should broadcast over the batch");
    }

    [Fact]
    public void FreshUnetPredictsZeroLikeLdmsZeroInitialisedOutput()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        using var unet = new UnetModel(UnetConfig.Tiny);

        var output = unet.forward(randn(1, 4, 8, 8), tensor(new long[] { 10 }), randn(1, 77, 64));

        Assert.Equal(0f, output.abs().max().item<float>());
    }

    [Fact]
    public void BackwardReachesTheFirstLayer()
    {
        using var scope = NewDisposeScope();
        manual_seed(6);
        using var unet = new UnetModel(UnetConfig.Tiny);
        TestWeights.Randomize(unet, 7);

        unet.forward(randn(1, 4, 8, 8), tensor(new long[] { 10 }), randn(1, 77, 64)).square().mean().backward();

        var first = unet.named_parameters().First(p => p.name == "input_blocks.0.0.weight").parameter;
        Assert.True(first.grad!.abs().sum().item<float>() > 0f);
    }

    [Fact]
    public void RejectsLatentsNotDivisibleByTheDownsampling()
    {
        using var scope = NewDisposeScope();
        using var unet = new UnetModel(UnetConfig.Tiny);

        var error = Assert.Throws<ArgumentException>(() => unet.forward(randn(1, 4, 12, 12), tensor(new long[] { 1 }), randn(1, 77, 64)));
        Assert.Contains("divisible by 8", error.Message);
    }

    [Fact]
    public void TimestepEmbeddingPutsCosinesFirst()
    {
        using var scope = NewDisposeScope();
        var embedding = TimestepEmbedding.Sinusoidal(tensor(new long[] { 0, 10 }), 320);

        Assert.Equal(new long[] { 2, 320 }, embedding.shape);
        Assert.True(embedding[0, ..160].allclose(ones(160)), "cos(0) = 1 in the first half");
        Assert.True(embedding[0, 160..].allclose(zeros(160)), "sin(0) = 0 in the second half");
        // Frequency 0 is exp(0) = 1, so position 10 holds cos(10) and sin(10).
        Assert.Equal(Math.Cos(10), embedding[1, 0].item<float>(), 5);
        Assert.Equal(Math.Sin(10), embedding[1, 160].item<float>(), 5);
        // The last frequency is exp(-ln(10000)·159/160).
        Assert.Equal(Math.Cos(10 * Math.Exp(-Math.Log(10000) * 159 / 160)), embedding[1, 159].item<float>(), 5);
    }
}
