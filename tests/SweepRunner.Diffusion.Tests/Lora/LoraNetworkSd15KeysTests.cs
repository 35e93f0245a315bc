using SweepRunner.Diffusion.Lora;
using SweepRunner.Diffusion.Model;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Tests.Lora;

/// <summary>
/// The key list of a kohya-trained SD1.5 LoRA (network_dim 32, defaults otherwise), written out from kohya's naming
/// rules: diffusers module paths with '.' → '_', prefixes lora_unet_ / lora_te_, three keys per module.
/// </summary>
public class LoraNetworkSd15KeysTests
{
    const int Dim = 32;

    static IEnumerable<(string Name, long[] Shape)> ExpectedKeys()
    {
        var transformers = new List<(string Prefix, long Channels)>();
        long[] down = [320, 640, 1280];
        for (var block = 0; block < 3; block++)
            for (var attention = 0; attention < 2; attention++)
                transformers.Add(($"down_blocks_{block}_attentions_{attention}", down[block]));
        transformers.Add(("mid_block_attentions_0", 1280));
        long[] up = [0, 1280, 640, 320];
        for (var block = 1; block < 4; block++)
            for (var attention = 0; attention < 3; attention++)
                transformers.Add(($"up_blocks_{block}_attentions_{attention}", up[block]));

        foreach (var (prefix, c) in transformers)
        {
            var name = "lora_unet_" + prefix;
            foreach (var key in Conv1x1(name + "_proj_in", c, c)) yield return key;
            var block = name + "_transformer_blocks_0";
            foreach (var attn in new[] { "attn1", "attn2" })
            {
                var kvIn = attn == "attn1" ? c : 768;
                foreach (var key in Linear($"{block}_{attn}_to_q", c, c)) yield return key;
                foreach (var key in Linear($"{block}_{attn}_to_k", kvIn, c)) yield return key;
                foreach (var key in Linear($"{block}_{attn}_to_v", kvIn, c)) yield return key;
                foreach (var key in Linear($"{block}_{attn}_to_out_0", c, c)) yield return key;
            }
            foreach (var key in Linear(block + "_ff_net_0_proj", c, 8 * c)) yield return key;
            foreach (var key in Linear(block + "_ff_net_2", 4 * c, c)) yield return key;
            foreach (var key in Conv1x1(name + "_proj_out", c, c)) yield return key;
        }

        for (var layer = 0; layer < 12; layer++)
        {
            var name = $"lora_te_text_model_encoder_layers_{layer}";
            foreach (var projection in new[] { "q_proj", "k_proj", "v_proj", "out_proj" })
                foreach (var key in Linear($"{name}_self_attn_{projection}", 768, 768)) yield return key;
            foreach (var key in Linear(name + "_mlp_fc1", 768, 3072)) yield return key;
            foreach (var key in Linear(name + "_mlp_fc2", 3072, 768)) yield return key;
        }
    }

    static IEnumerable<(string, long[])> Linear(string name, long inFeatures, long outFeatures) =>
    [
        (name + ".lora_down.weight", [Dim, inFeatures]),
        (name + ".lora_up.weight", [outFeatures, Dim]),
        (name + ".alpha", []),
    ];

    static IEnumerable<(string, long[])> Conv1x1(string name, long inChannels, long outChannels) =>
    [
        (name + ".lora_down.weight", [Dim, inChannels, 1, 1]),
        (name + ".lora_up.weight", [outChannels, Dim, 1, 1]),
        (name + ".alpha", []),
    ];

    [Fact]
    public void Sd15NetworkHasTheKeysAndShapesOfAKohyaTrainedLora()
    {
        var expected = ExpectedKeys().ToDictionary(k => k.Name, k => k.Shape, StringComparer.Ordinal);
        Assert.Equal(792, expected.Count);

        using var model = new StableDiffusionModel(DiffusionModelConfig.Sd15, META);
        using var network = LoraNetwork.Create(model, new LoraNetworkOptions(Dim, 16), META);
        Assert.Equal(192, network.UnetModules.Count());
        Assert.Equal(72, network.TextEncoderModules.Count());
        var actual = network.StateTensors(ScalarType.Float16);
        try
        {
            var names = actual.Select(t => t.Name).ToList();
            Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), names.Order(StringComparer.Ordinal));
            foreach (var (name, tensor) in actual)
            {
                Assert.Equal(expected[name], tensor.shape);
                Assert.Equal(ScalarType.Float16, tensor.dtype);
            }
        }
        finally
        {
            foreach (var (_, tensor) in actual) tensor.Dispose();
        }
    }

    [Fact]
    public void ConvDimAddsTheResnetAndSamplerModulesWithTheirKernels()
    {
        using var model = new StableDiffusionModel(DiffusionModelConfig.Sd15, META);
        using var network = LoraNetwork.Create(model, new LoraNetworkOptions(Dim, 16, ConvDim: 8, ConvAlpha: 4, TrainTextEncoder: false), META);
        Assert.Empty(network.TextEncoderModules);
        Assert.Equal(278, network.Modules.Count);

        var resnetConv = network.Modules.Single(m => m.Name == "lora_unet_down_blocks_0_resnets_0_conv1");
        Assert.Equal([8L, 320, 3, 3], resnetConv.Down.shape);
        Assert.Equal([320L, 8, 1, 1], resnetConv.Up.shape);
        Assert.Equal(0.5, resnetConv.Scale);
        var downsampler = network.Modules.Single(m => m.Name == "lora_unet_down_blocks_0_downsamplers_0_conv");
        Assert.Equal((2, 1), (downsampler.Slot.Stride, downsampler.Slot.Padding));
        var timeProjection = network.Modules.Single(m => m.Name == "lora_unet_mid_block_resnets_0_time_emb_proj");
        Assert.Equal([32L, 1280], timeProjection.Down.shape);
        Assert.Equal(0.5, timeProjection.Scale);
    }
}
