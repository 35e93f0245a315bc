using SweepRunner.Diffusion.Lora;
using SweepRunner.Diffusion.Model;
using SweepRunner.TestSupport;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Tests.Lora;

public class LoraSlotTests
{
    [Fact]
    public void Sd15HasKohyasSlotCounts()
    {
        using var model = new StableDiffusionModel(DiffusionModelConfig.Sd15, META);

        Assert.Equal(192, model.Unet.LoraSlots(LoraTargets.UnetTransformer).Count());
        Assert.Equal(72, model.TextEncoder.LoraSlots().Count());
        Assert.Equal(278, model.Unet.LoraSlots(LoraTargets.UnetTransformer | LoraTargets.UnetConvBlocks).Count());
        Assert.Equal(192 + 72, model.LoraSlots(LoraTargets.Default).Count());
        Assert.Empty(model.LoraSlots(LoraTargets.None));
    }

    [Fact]
    public void EverySlotPathIsTheDiffusersNameOfItsCheckpointWeight()
    {
        using var model = new StableDiffusionModel(DiffusionModelConfig.Sd15, META);
        var fixture = LdmKeyFixture.Sd15;
        var checkedSlots = 0;
        foreach (var (name, module) in model.named_modules())
        {
            if (module is not ILoraSlotLayer layer)
            {
                continue;
            }

            var entry = fixture[name + ".weight"];
            var prefix = layer.Group == LoraTargets.TextEncoder ? "te_" : "unet_";
            Assert.Equal(entry.DiffusersName, prefix + layer.SlotPath + ".weight");
            Assert.Equal(entry.Shape, layer.Weight.shape);
            checkedSlots++;
        }

        Assert.Equal(278 + 72, checkedSlots);
    }

    [Fact]
    public void SlotsDescribeTheirLayers()
    {
        using var model = new StableDiffusionModel(DiffusionModelConfig.Sd15, META);
        var slots = model.LoraSlots(LoraTargets.All).ToDictionary(s => s.Path);

        var toQ = slots["down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_q"];
        Assert.Equal((LoraSlotKind.Linear, 320L, 320L, LoraTargets.UnetTransformer), (toQ.Kind, toQ.InFeatures, toQ.OutFeatures, toQ.Group));
        Assert.Equal("lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn1_to_q", toQ.KohyaName);

        var toK = slots["up_blocks.1.attentions.2.transformer_blocks.0.attn2.to_k"];
        Assert.Equal((768L, 1280L), (toK.InFeatures, toK.OutFeatures));

        var projIn = slots["mid_block.attentions.0.proj_in"];
        Assert.Equal((LoraSlotKind.Conv1x1, 1280L, 1280L, 1), (projIn.Kind, projIn.InFeatures, projIn.OutFeatures, projIn.KernelSize));

        var ff2 = slots["up_blocks.1.attentions.2.transformer_blocks.0.ff.net.2"];
        Assert.Equal((5120L, 1280L), (ff2.InFeatures, ff2.OutFeatures));

        var geglu = slots["up_blocks.3.attentions.0.transformer_blocks.0.ff.net.0.proj"];
        Assert.Equal((320L, 2560L), (geglu.InFeatures, geglu.OutFeatures));

        var q = slots["text_model.encoder.layers.0.self_attn.q_proj"];
        Assert.Equal((LoraSlotKind.Linear, LoraTargets.TextEncoder), (q.Kind, q.Group));
        Assert.Equal("lora_te_text_model_encoder_layers_0_self_attn_q_proj", q.KohyaName);
        Assert.Equal((768L, 3072L), (slots["text_model.encoder.layers.11.mlp.fc1"].InFeatures, slots["text_model.encoder.layers.11.mlp.fc1"].OutFeatures));

        var down = slots["down_blocks.2.downsamplers.0.conv"];
        Assert.Equal((LoraSlotKind.Conv3x3, 3, 2, 1, LoraTargets.UnetConvBlocks), (down.Kind, down.KernelSize, down.Stride, down.Padding, down.Group));
        var up = slots["up_blocks.0.upsamplers.0.conv"];
        Assert.Equal((LoraSlotKind.Conv3x3, 1, 1), (up.Kind, up.Stride, up.Padding));
        var shortcut = slots["up_blocks.3.resnets.2.conv_shortcut"];
        Assert.Equal((LoraSlotKind.Conv1x1, 640L, 320L), (shortcut.Kind, shortcut.InFeatures, shortcut.OutFeatures));
        Assert.Equal(LoraSlotKind.Linear, slots["mid_block.resnets.1.time_emb_proj"].Kind);

        Assert.DoesNotContain("down_blocks.3.downsamplers.0.conv", slots.Keys);
        Assert.DoesNotContain("up_blocks.3.upsamplers.0.conv", slots.Keys);
    }

    [Fact]
    public void TinyModelHasTheSameSlotPattern()
    {
        using var model = new StableDiffusionModel(DiffusionModelConfig.Tiny, META);

        // One layer per level: 3 attention levels × 1 down + 3 × 2 up + 1 middle = 10 transformers × 12 slots.
        Assert.Equal(120, model.Unet.LoraSlots(LoraTargets.UnetTransformer).Count());
        Assert.Equal(2 * 6, model.TextEncoder.LoraSlots().Count());
        Assert.Contains(model.Unet.LoraSlots(), s => s.Path == "up_blocks.1.attentions.1.transformer_blocks.0.attn2.to_v");
    }
}
