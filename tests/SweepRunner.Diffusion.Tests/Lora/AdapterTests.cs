using SweepRunner.Diffusion.Lora;
using SweepRunner.TestSupport;
using SweepRunner.Diffusion.TextEncoder;
using SweepRunner.Diffusion.Unet;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Tests.Lora;

public class AdapterTests
{
    [Fact]
    public void AttachedAdapterChangesTheUnetOutputAndDetachingRestoresIt()
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        using var unet = new UnetModel(UnetConfig.Tiny);
        TestWeights.Randomize(unet, 12);
        var latents = randn(1, 4, 16, 16);
        var steps = tensor(new long[] { 500 });
        var context = randn(1, 77, 64);
        var before = unet.forward(latents, steps, context);

        var slot = unet.LoraSlots().Single(s => s.Path == "mid_block.attentions.0.transformer_blocks.0.attn2.to_v");
        using var adapter = new ScaledDeltaAdapter(slot.InFeatures, slot.OutFeatures, rank: 4, scale: 0.5, seed: 13);
        slot.Layer.Attach(adapter);
        var adapted = unet.forward(latents, steps, context);
        slot.Layer.Detach();
        var after = unet.forward(latents, steps, context);

        Assert.Equal(1, adapter.Calls);
        Assert.True((adapted - before).abs().max().item<float>() > 1e-4f, "the adapter did not change the output");
        Assert.True(TestWeights.Identical(after, before), "detaching did not restore the frozen output");
    }

    [Fact]
    public void AdapterGradientsFlowWhileFrozenWeightsStayWithoutGradients()
    {
        using var scope = NewDisposeScope();
        manual_seed(21);
        using var encoder = new ClipTextModel(ClipTextConfig.Tiny);
        TestWeights.Randomize(encoder, 22);
        foreach (var parameter in encoder.parameters())
        {
            parameter.requires_grad = false;
        }

        var slot = encoder.LoraSlots().Single(s => s.Path == "text_model.encoder.layers.1.mlp.fc2");
        using var adapter = new ScaledDeltaAdapter(slot.InFeatures, slot.OutFeatures, rank: 2, scale: 1.0, seed: 23);
        slot.Layer.Attach(adapter);
        var tokens = randint(0, 1000, new long[] { 2, 77 });
        encoder.forward(tokens, 1).square().mean().backward();

        Assert.NotNull(adapter.Down.grad);
        Assert.True(adapter.Up.grad!.abs().sum().item<float>() > 0f);
        Assert.Null(slot.Layer.Weight.grad);
    }

    [Fact]
    public void ConvSlotAdapterIsAddedToTheConvolution()
    {
        using var scope = NewDisposeScope();
        manual_seed(31);
        using var layer = new LoraConv2d("test.conv", LoraTargets.UnetConvBlocks, 4, 6, kernelSize: 3, padding: 1);
        var input = randn(2, 4, 8, 8);
        var frozen = layer.forward(input);
        var delta = ones(2, 6, 8, 8);
        layer.Attach(new ConstantAdapter(delta));

        Assert.True(layer.forward(input).allclose(frozen + delta));
        Assert.NotNull(layer.Adapter);
        layer.Detach();
        Assert.Null(layer.Adapter);
        Assert.True(TestWeights.Identical(layer.forward(input), frozen));
    }

    sealed class ConstantAdapter(Tensor delta) : ILoraAdapter
    {
        public Tensor Forward(Tensor input) => delta.clone();
    }
}
