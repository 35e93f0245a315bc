using SweepRunner.Diffusion.Model;
using SweepRunner.Diffusion.Modules;
using SweepRunner.TestSupport;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Tests.Model;

public class StrictLoadTests
{
    const string VaeAttentionQ = "first_stage_model.encoder.mid.attn_1.q.weight";
    const string TextQ = "cond_stage_model.transformer.text_model.encoder.layers.0.self_attn.q_proj.weight";

    [Fact]
    public void AFullStateDictLoadsCopiesAndFreezes()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        using var source = new StableDiffusionModel(DiffusionModelConfig.Tiny);
        manual_seed(2);
        using var target = new StableDiffusionModel(DiffusionModelConfig.Tiny);
        var tensors = TestWeights.CloneStateDict(source);

        var report = target.LoadStateDict(tensors);

        Assert.True(report.IsComplete, report.Describe());
        Assert.Equal(tensors.Count, report.Loaded);
        foreach (var (name, parameter) in target.named_parameters())
        {
            Assert.True(TestWeights.Identical(parameter, tensors[name]), name);
            Assert.False(parameter.requires_grad, name);
        }
    }

    [Fact]
    public void AMissingKeyIsNamed()
    {
        using var scope = NewDisposeScope();
        using var model = new StableDiffusionModel(DiffusionModelConfig.Tiny);
        var tensors = TestWeights.CloneStateDict(model);
        const string removed = "model.diffusion_model.middle_block.1.proj_in.weight";
        tensors.Remove(removed);

        var error = Assert.Throws<StateDictLoadException>(() => model.LoadStateDict(tensors, sourceName: "tiny.safetensors"));

        Assert.Equal(new[] { removed }, error.Report.Missing);
        Assert.Contains(removed, error.Message);
        Assert.Contains("tiny.safetensors", error.Message);
    }

    [Fact]
    public void AnUnknownKeyIsNamed()
    {
        using var scope = NewDisposeScope();
        using var model = new StableDiffusionModel(DiffusionModelConfig.Tiny);
        var tensors = TestWeights.CloneStateDict(model);
        const string unknown = "model.diffusion_model.input_blocks.1.1.transformer_blocks.0.attn3.to_q.weight";
        tensors[unknown] = zeros(32, 32);

        var error = Assert.Throws<StateDictLoadException>(() => model.LoadStateDict(tensors));

        Assert.Equal(new[] { unknown }, error.Report.Unexpected);
        Assert.Empty(error.Report.Missing);
        Assert.Contains(unknown, error.Message);
    }

    [Fact]
    public void AShapeMismatchIsNamedWithBothShapes()
    {
        using var scope = NewDisposeScope();
        using var model = new StableDiffusionModel(DiffusionModelConfig.Tiny);
        var tensors = TestWeights.CloneStateDict(model);
        const string key = "model.diffusion_model.out.2.weight";
        tensors[key] = zeros(4, 32, 1, 1);

        var error = Assert.Throws<StateDictLoadException>(() => model.LoadStateDict(tensors));

        var mismatch = Assert.Single(error.Report.ShapeMismatches);
        Assert.Equal(key, mismatch.Name);
        Assert.Equal(new long[] { 4, 32, 3, 3 }, mismatch.Expected);
        Assert.Contains("expected [4, 32, 3, 3], file has [4, 32, 1, 1]", error.Message);
        Assert.Equal(new[] { key }, error.Report.Missing);
    }

    [Fact]
    public void NonStrictLoadReportsInsteadOfThrowing()
    {
        using var scope = NewDisposeScope();
        using var model = new StableDiffusionModel(DiffusionModelConfig.Tiny);
        var tensors = TestWeights.CloneStateDict(model);
        tensors.Remove(TextQ);

        var report = model.LoadStateDict(tensors, strict: false, freeze: false);

        Assert.False(report.IsComplete);
        Assert.Equal(new[] { TextQ }, report.Missing);
        Assert.True(model.parameters().All(p => p.requires_grad));
    }

    [Fact]
    public void AcceptsTheCheckpointVariants()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var source = new StableDiffusionModel(DiffusionModelConfig.Tiny);
        using var target = new StableDiffusionModel(DiffusionModelConfig.Tiny);
        var original = TestWeights.CloneStateDict(source);
        var tensors = new Dictionary<string, Tensor>();
        foreach (var (name, tensor) in original)
        {
            // Text encoder keys without "text_model.", as some single-file checkpoints store them.
            var key = name.Replace("cond_stage_model.transformer.text_model.", "cond_stage_model.transformer.", StringComparison.Ordinal);
            tensors[key] = tensor;
        }

        // VAE attention projections as matrices (diffusers layout) instead of 1×1 conv weights.
        var attentionKeys = tensors.Keys.Where(k => k.Contains(".attn_1.", StringComparison.Ordinal) && k.EndsWith("weight", StringComparison.Ordinal) && !k.Contains(".norm.", StringComparison.Ordinal)).ToList();
        Assert.Equal(8, attentionKeys.Count);
        foreach (var key in attentionKeys)
        {
            tensors[key] = tensors[key].squeeze(-1).squeeze(-1);
        }

        // Non-network tensors real checkpoints carry.
        tensors["alphas_cumprod"] = ones(1000);
        tensors["model_ema.num_updates"] = tensor(0L);
        tensors["cond_stage_model.transformer.text_model.embeddings.position_ids"] = arange(77L).unsqueeze(0);

        var report = target.LoadStateDict(tensors);

        Assert.True(report.IsComplete, report.Describe());
        Assert.Equal(3, report.Ignored.Count);
        var loaded = target.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.True(TestWeights.Identical(loaded[VaeAttentionQ], original[VaeAttentionQ]));
        Assert.True(TestWeights.Identical(loaded[TextQ], original[TextQ]));
    }

    [Fact]
    public void TwoTensorsForOneParameterAreReported()
    {
        using var scope = NewDisposeScope();
        using var model = new StableDiffusionModel(DiffusionModelConfig.Tiny);
        var tensors = TestWeights.CloneStateDict(model);
        tensors["cond_stage_model.transformer.encoder.layers.0.self_attn.q_proj.weight"] = tensors[TextQ];

        var error = Assert.Throws<StateDictLoadException>(() => model.LoadStateDict(tensors));

        Assert.Contains(error.Report.Unexpected, u => u.Contains("a second tensor for " + TextQ, StringComparison.Ordinal));
    }
}
