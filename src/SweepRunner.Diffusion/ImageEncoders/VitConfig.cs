using System.Globalization;

namespace SweepRunner.Diffusion.ImageEncoders;

/// <summary>
/// The shape of a vision transformer as its Hugging Face <c>config.json</c> gives it: CLIP's <c>vision_config</c> or a
/// DINOv2 config. The same code builds ViT-L/14 and a test model of a few thousand parameters.
/// </summary>
public sealed record VitConfig(int Hidden, int Layers, int Heads, int MlpDim, int ImageSize, int PatchSize, double LayerNormEps, bool QuickGelu)
{
    /// <summary>The trained grid of patches per side.</summary>
    public int Grid => ImageSize / PatchSize;

    public void Validate(string source)
    {
        if (Hidden <= 0 || Layers <= 0 || Heads <= 0 || MlpDim <= 0 || ImageSize <= 0 || PatchSize <= 0)
            throw new ImageEncoderException($"{source}: every size of the vision model must be positive ({this}).");
        if (Hidden % Heads != 0)
            throw new ImageEncoderException($"{source}: hidden_size {Hidden} is not divisible by num_attention_heads {Heads}.");
        if (ImageSize % PatchSize != 0)
            throw new ImageEncoderException($"{source}: image_size {ImageSize} is not a multiple of patch_size {PatchSize}.");
    }

    /// <summary>CLIP's <c>vision_config</c>, with CLIPVisionConfig's defaults for absent fields (ViT-B/32's sizes).</summary>
    internal static VitConfig ClipVision(ConfigSection config) => Build(config,
        new VitConfig(config.Int("hidden_size", 768), config.Int("num_hidden_layers", 12), config.Int("num_attention_heads", 12),
            config.Int("intermediate_size", 3072), config.Int("image_size", 224), config.Int("patch_size", 32),
            config.Double("layer_norm_eps", 1e-5), Activation(config, "quick_gelu")));

    /// <summary>A Dinov2Config, with its defaults for absent fields; the MLP width is int(hidden_size · mlp_ratio) as transformers computes it.</summary>
    internal static VitConfig Dinov2(ConfigSection config)
    {
        var hidden = config.Int("hidden_size", 768);
        return Build(config, new VitConfig(hidden, config.Int("num_hidden_layers", 12), config.Int("num_attention_heads", 12),
            (int)(hidden * config.Double("mlp_ratio", 4)), config.Int("image_size", 224), config.Int("patch_size", 14),
            config.Double("layer_norm_eps", 1e-6), Activation(config, "gelu")));
    }

    static VitConfig Build(ConfigSection config, VitConfig parsed)
    {
        if (config.Int("num_channels", 3) != 3)
            throw new ImageEncoderException($"{config.Source}: num_channels {config.Int("num_channels", 3)} is not supported (RGB images, 3).");
        parsed.Validate(config.Source);
        return parsed;
    }

    /// <summary>True for quick_gelu, false for the exact (erf) gelu; anything else is refused.</summary>
    internal static bool Activation(ConfigSection config, string fallback) => config.String("hidden_act", fallback) switch
    {
        "quick_gelu" => true,
        "gelu" => false,
        var other => throw new ImageEncoderException($"{config.Source}: hidden_act '{other}' is not supported (gelu, quick_gelu)."),
    };

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"hidden {Hidden}, {Layers} layers, {Heads} heads, mlp {MlpDim}, image {ImageSize}, patch {PatchSize}");
}

/// <summary>A model folder that cannot be used for automatic scores; the message names the file and what to do.</summary>
public sealed class ImageEncoderException(string message, Exception? inner = null) : Exception(message, inner);
