using SweepRunner.Diffusion.Families;

namespace SweepRunner.Diffusion.Model;

/// <summary>
/// Decides which configuration a checkpoint holds: the one named by its <see cref="ModelConfigs.MetadataKey"/>
/// metadata when present, otherwise the known configuration whose UNet input conv, token embedding and VAE input
/// conv shapes it has. Other architectures (SD 2.x, SDXL, inpainting UNets, LoRA files) are refused by name.
/// </summary>
public static class ModelArchitecture
{
    /// <summary>The three tensors whose shapes tell the configurations apart, as diffusers names them.</summary>
    public const string UnetInputConv = "conv_in.weight";
    public const string TokenEmbedding = "text_model.embeddings.token_embedding.weight";
    public const string VaeInputConv = "encoder.conv_in.weight";

    /// <summary>The same tensors under their single-file names.</summary>
    public static readonly string SingleFileUnetInputConv = CheckpointKeys.UnetPrefix + "input_blocks.0.0.weight";
    public static readonly string SingleFileTokenEmbedding = CheckpointKeys.TextEncoderPrefix + "embeddings.token_embedding.weight";
    public static readonly string SingleFileVaeInputConv = CheckpointKeys.VaePrefix + "encoder.conv_in.weight";

    /// <summary>
    /// Refuses single-file checkpoints of other model families by their keys: SDXL (<c>conditioner.embedders.*</c>),
    /// SD 2.x (<c>cond_stage_model.model.*</c>, OpenCLIP), LoRA files (<c>lora_unet_*</c>, <c>lora_te_*</c>) and files
    /// without UNet keys.
    /// </summary>
    public static void RejectOtherFamilies(string path, IEnumerable<string> keys)
    {
        var list = keys as IReadOnlyCollection<string> ?? keys.ToList();
        if (list.Any(k => k.StartsWith("conditioner.embedders.", StringComparison.Ordinal)))
            throw NotSd1(path, "it has SDXL keys (conditioner.embedders.*)");
        if (list.Any(k => k.StartsWith("cond_stage_model.model.", StringComparison.Ordinal)))
            throw NotSd1(path, "it has Stable Diffusion 2.x keys (cond_stage_model.model.*, an OpenCLIP text encoder)");
        if (list.Any(k => k.StartsWith(Sd1Family.UnetLoraPrefix, StringComparison.Ordinal) || k.StartsWith(Sd1Family.TextEncoderLoraPrefix, StringComparison.Ordinal)))
            throw new ModelLoadException(path, "this is a LoRA file, not a base model; pass it with --lora and give the base model with --model.");
        if (!list.Any(k => k.StartsWith(CheckpointKeys.UnetPrefix, StringComparison.Ordinal)))
            throw NotSd1(path, $"it has no UNet keys ({CheckpointKeys.UnetPrefix}*)");
    }

    /// <summary>
    /// The configuration of a checkpoint: named by <paramref name="metadata"/>, or recognised from the shapes of
    /// <see cref="UnetInputConv"/>, <see cref="TokenEmbedding"/> and <see cref="VaeInputConv"/> (null when absent).
    /// </summary>
    public static (string Name, DiffusionModelConfig Config) Identify(
        string path, IReadOnlyDictionary<string, string> metadata, long[]? unetInputConv, long[]? tokenEmbedding, long[]? vaeInputConv)
    {
        if (metadata.TryGetValue(ModelConfigs.MetadataKey, out var declared))
        {
            var named = ModelConfigs.Find(declared)
                ?? throw new ModelLoadException(path,
                    $"metadata {ModelConfigs.MetadataKey} = '{declared}' names no known configuration; known: {string.Join(", ", ModelConfigs.All.Select(c => c.Name))}.");
            return (declared, named);
        }

        foreach (var (name, config) in ModelConfigs.All)
        {
            if (Same(unetInputConv, [config.Unet.BlockChannels[0], config.Unet.InChannels, 3, 3])
                && Same(tokenEmbedding, [config.TextEncoder.VocabSize, config.TextEncoder.Width])
                && Same(vaeInputConv, [config.Vae.BlockChannels[0], config.Vae.ImageChannels, 3, 3]))
                return (name, config);
        }

        var sd15 = DiffusionModelConfig.Sd15;
        if (unetInputConv is { Length: 4 } conv && conv[0] == sd15.Unet.BlockChannels[0] && conv[1] != sd15.Unet.InChannels)
            throw NotSd1(path, $"its UNet takes {conv[1]} input channels (an inpainting or other special UNet); SweepRunner trains on 4-channel SD 1.x UNets");
        if (tokenEmbedding is { Length: 2 } embedding && embedding[1] != sd15.TextEncoder.Width && embedding[1] == 1024)
            throw NotSd1(path, "its text encoder is 1024 wide (Stable Diffusion 2.x)");
        throw NotSd1(path,
            $"the UNet input conv is {Describe(unetInputConv)}, the token embedding {Describe(tokenEmbedding)} and the VAE input conv "
            + $"{Describe(vaeInputConv)}; SD 1.x has [320, 4, 3, 3], [49408, 768] and [128, 3, 3, 3]. A checkpoint SweepRunner wrote names its "
            + $"configuration in the metadata key {ModelConfigs.MetadataKey}");
    }

    static ModelLoadException NotSd1(string path, string reason) =>
        new(path, $"not an SD1.x checkpoint: {reason}. SweepRunner loads Stable Diffusion 1.x models (single-file .safetensors or a diffusers folder).");

    static bool Same(long[]? actual, long[] expected) => actual is not null && actual.AsSpan().SequenceEqual(expected);

    static string Describe(long[]? shape) => shape is null ? "missing" : "[" + string.Join(", ", shape) + "]";
}
