using TorchSharp;
using SweepRunner.Diffusion.Lora;
using SweepRunner.Diffusion.Model;
using SweepRunner.TestSupport;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Tests.Model;

public class StableDiffusionModelTests
{
    [Fact]
    public void TinyModelRunsTextToNoisePrediction()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        using var model = new StableDiffusionModel(DiffusionModelConfig.Tiny);
        TestWeights.Randomize(model, 2);
        var images = rand(2, 3, 64, 64) * 2 - 1;
        var tokens = randint(0, 1000, new long[] { 2, 77 });

        var latents = model.Vae.EncodeToLatents(images);
        var context = model.TextEncoder.forward(tokens, 1);
        var noise = model.Unet.forward(latents, tensor(new long[] { 3, 700 }), context);
        var decoded = model.Vae.DecodeLatents(noise);

        Assert.Equal(new long[] { 2, 4, 8, 8 }, latents.shape);
        Assert.Equal(new long[] { 2, 77, 64 }, context.shape);
        Assert.Equal(new long[] { 2, 4, 8, 8 }, noise.shape);
        Assert.Equal(new long[] { 2, 3, 64, 64 }, decoded.shape);
    }

    [Fact]
    public void CastingTheFrozenNetworksAsTheTrainerDoesConvertsEveryParameterAndTheSlotFields()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var model = new StableDiffusionModel(DiffusionModelConfig.Tiny);
        TestWeights.Randomize(model, 4);
        model.SetTrainable(false);

        // The trainer casts the frozen UNet and text encoder for a bf16/fp16 job and leaves the VAE in fp32.
        model.Unet.to(ScalarType.BFloat16);
        model.TextEncoder.to(ScalarType.BFloat16);

        Assert.All(model.Unet.parameters().Concat(model.TextEncoder.parameters()), p => Assert.Equal(ScalarType.BFloat16, p.dtype));
        Assert.All(model.Vae.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
        Assert.All(model.parameters(), p => Assert.False(p.requires_grad));
        // The forward pass reads the layers' fields, so they must hold the converted parameters.
        Assert.All(model.LoraSlots(LoraTargets.All), s => Assert.Equal(ScalarType.BFloat16, s.Layer.Weight.dtype));
        var output = model.Unet.forward(randn(1, 4, 8, 8, dtype: ScalarType.BFloat16), tensor(new long[] { 5 }), randn(1, 77, 64, dtype: ScalarType.BFloat16));
        Assert.Equal(ScalarType.BFloat16, output.dtype);
    }

    [Fact]
    public void ConfigsThatDoNotFitTogetherAreRejected()
    {
        var mismatched = DiffusionModelConfig.Tiny with { TextEncoder = DiffusionModelConfig.Tiny.TextEncoder with { Width = 96, Heads = 2 } };

        var error = Assert.Throws<ArgumentException>(() => new StableDiffusionModel(mismatched, META));

        Assert.Contains("context dim 64", error.Message);
    }
}
