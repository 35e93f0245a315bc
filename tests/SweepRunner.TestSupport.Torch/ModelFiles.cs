using SweepRunner.Diffusion.Checkpoints;
using SweepRunner.Diffusion.Model;
using static TorchSharp.torch;

namespace SweepRunner.TestSupport;

/// <summary>Writes models as checkpoint files the way other tools lay them out.</summary>
public static class ModelFiles
{
    /// <summary>A Tiny model with seeded random weights (every layer non-zero).</summary>
    public static StableDiffusionModel RandomTiny(long seed)
    {
        var model = new StableDiffusionModel(DiffusionModelConfig.Tiny);
        TestWeights.Randomize(model, seed);
        return model;
    }

    /// <summary>
    /// Writes the model's parameters as a single file, renaming keys with <paramref name="rename"/> (null drops a key),
    /// adding <paramref name="extra"/> tensors.
    /// </summary>
    public static void WriteSingleFile(StableDiffusionModel model, string path, Func<string, Tensor, (string Name, Tensor Tensor)?>? rename = null,
        IReadOnlyDictionary<string, string>? metadata = null, IEnumerable<(string Name, Tensor Tensor)>? extra = null)
    {
        using var scope = NewDisposeScope();
        var tensors = new List<(string, Tensor)>();
        foreach (var (name, parameter) in model.named_parameters())
        {
            var item = rename is null ? (name, parameter.detach()) : rename(name, parameter.detach());
            if (item is { } kept) tensors.Add(kept);
        }
        tensors.AddRange(extra ?? []);
        SafetensorsWriter.Write(path, tensors, metadata);
    }

    /// <summary>
    /// Writes the model as a diffusers folder (unet/, text_encoder/, vae/ under diffusers names, VAE attention
    /// projections as matrices as diffusers stores them), with the tokenizer files of <paramref name="tokenizerFolder"/>.
    /// </summary>
    public static void WriteDiffusersFolder(StableDiffusionModel model, string folder, bool oldVaeAttentionNames = false,
        Func<string, Tensor, (string Name, Tensor Tensor)?>? rename = null, string? tokenizerFolder = null)
    {
        using var scope = NewDisposeScope();
        var map = DiffusersKeyMap.For(model.Config);
        var byComponent = ModelLoader.DiffusersFiles.ToDictionary(f => f.Component, _ => new List<(string, Tensor)>());
        foreach (var (name, parameter) in model.named_parameters())
        {
            var (component, diffusersName) = map.ToDiffusers(name) ?? throw new InvalidOperationException($"no diffusers name for {name}");
            Tensor tensor = parameter.detach();
            if (component == ModelComponent.Vae && diffusersName.Contains(".mid_block.attentions.0.", StringComparison.Ordinal) && tensor.dim() == 4)
                tensor = tensor.flatten(1);
            if (oldVaeAttentionNames && component == ModelComponent.Vae)
                diffusersName = diffusersName.Replace(".to_q.", ".query.").Replace(".to_k.", ".key.").Replace(".to_v.", ".value.").Replace(".to_out.0.", ".proj_attn.");
            var item = rename is null ? (diffusersName, tensor) : rename(diffusersName, tensor);
            if (item is { } kept) byComponent[component].Add(kept);
        }
        byComponent[ModelComponent.TextEncoder].Add(("text_model.embeddings.position_ids", arange(77, ScalarType.Int64).unsqueeze(0)));

        foreach (var (component, subfolder, file) in ModelLoader.DiffusersFiles)
        {
            Directory.CreateDirectory(Path.Combine(folder, subfolder));
            SafetensorsWriter.Write(Path.Combine(folder, subfolder, file), byComponent[component]);
        }
        if (tokenizerFolder is not null)
        {
            Directory.CreateDirectory(Path.Combine(folder, "tokenizer"));
            foreach (var name in new[] { "vocab.json", "merges.txt" })
                File.Copy(Path.Combine(tokenizerFolder, name), Path.Combine(folder, "tokenizer", name));
        }
    }

    /// <summary>True when every parameter of <paramref name="a"/> equals the same-named one of <paramref name="b"/>, bit for bit.</summary>
    public static void AssertSameWeights(StableDiffusionModel a, StableDiffusionModel b)
    {
        var others = b.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, parameter) in a.named_parameters())
            Assert.True(TestWeights.Identical(parameter, others[name]), name);
        Assert.Equal(others.Count, a.named_parameters().Count());
    }
}
