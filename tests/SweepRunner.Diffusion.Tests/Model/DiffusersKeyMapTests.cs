using SweepRunner.Diffusion.Model;
using SweepRunner.TestSupport;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Tests.Model;

public class DiffusersKeyMapTests
{
    static readonly Dictionary<string, ModelComponent> FixturePrefixes = new()
    {
        ["unet_"] = ModelComponent.Unet,
        ["te_"] = ModelComponent.TextEncoder,
        ["vae_"] = ModelComponent.Vae,
    };

    static (ModelComponent, string) FixtureName(string diffusersName)
    {
        var (prefix, component) = FixturePrefixes.Single(p => diffusersName.StartsWith(p.Key, StringComparison.Ordinal));
        return (component, diffusersName[prefix.Length..]);
    }

    [Fact]
    public void EveryFixtureKeyMapsToItsPublishedDiffusersName()
    {
        var map = DiffusersKeyMap.For(DiffusionModelConfig.Sd15);
        var wrong = new List<string>();
        foreach (var entry in LdmKeyFixture.Sd15.Values)
        {
            var expected = FixtureName(entry.DiffusersName);
            var actual = map.ToDiffusers(entry.Name);
            if (actual != expected) wrong.Add($"{entry.Name}: {actual?.ToString() ?? "null"}, expected {expected}");
        }

        Assert.Equal(1130, LdmKeyFixture.Sd15.Count);
        Assert.True(wrong.Count == 0, string.Join("\n", wrong.Take(20)));
    }

    [Fact]
    public void EverySd15ParameterHasADistinctDiffusersName()
    {
        using var model = new StableDiffusionModel(DiffusionModelConfig.Sd15, META);
        AssertBijective(model);
    }

    [Fact]
    public void EveryTinyParameterHasADistinctDiffusersName()
    {
        // Tiny has one res block per level, so the input/output block numbering differs from SD1.5's.
        using var model = new StableDiffusionModel(DiffusionModelConfig.Tiny, META);
        var map = AssertBijective(model);

        Assert.Equal(("down_blocks.1.downsamplers.0.conv.weight"), map.UnetToDiffusers("input_blocks.4.0.op.weight"));
        Assert.Equal(("up_blocks.0.upsamplers.0.conv.bias"), map.UnetToDiffusers("output_blocks.1.1.conv.bias"));
        Assert.Equal(("up_blocks.1.upsamplers.0.conv.bias"), map.UnetToDiffusers("output_blocks.3.2.conv.bias"));
        Assert.Null(map.UnetToDiffusers("output_blocks.1.2.conv.bias"));
    }

    [Fact]
    public void KeysOutsideTheLayoutHaveNoDiffusersName()
    {
        var map = DiffusersKeyMap.For(DiffusionModelConfig.Sd15);

        Assert.Null(map.ToDiffusers("model.diffusion_model.input_blocks.3.1.proj_in.weight"));
        Assert.Null(map.ToDiffusers("model.diffusion_model.output_blocks.12.0.in_layers.0.weight"));
        Assert.Null(map.ToDiffusers("first_stage_model.decoder.up.0.upsample.conv.weight"));
        Assert.Null(map.ToDiffusers("model_ema.decay"));
    }

    [Fact]
    public void OldDiffusersVaeAttentionNamesAreNormalized()
    {
        Assert.Equal("encoder.mid_block.attentions.0.to_q.weight",
            DiffusersKeyMap.NormalizeDiffusersName(ModelComponent.Vae, "encoder.mid_block.attentions.0.query.weight"));
        Assert.Equal("decoder.mid_block.attentions.0.to_out.0.bias",
            DiffusersKeyMap.NormalizeDiffusersName(ModelComponent.Vae, "decoder.mid_block.attentions.0.proj_attn.bias"));
        Assert.Equal("down_blocks.0.attentions.0.query.weight",
            DiffusersKeyMap.NormalizeDiffusersName(ModelComponent.Unet, "down_blocks.0.attentions.0.query.weight"));
    }

    static DiffusersKeyMap AssertBijective(StableDiffusionModel model)
    {
        var map = DiffusersKeyMap.For(model.Config);
        var names = new HashSet<(ModelComponent, string)>();
        foreach (var (name, _) in model.named_parameters())
        {
            var mapped = map.ToDiffusers(name);
            Assert.True(mapped is not null, $"{name} has no diffusers name");
            Assert.True(names.Add(mapped!.Value), $"{name} maps to {mapped} twice");
        }
        return map;
    }
}
