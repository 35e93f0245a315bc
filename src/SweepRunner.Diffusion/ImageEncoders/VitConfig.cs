using System.Globalization;
using System.Text.Json;

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

    internal static VitConfig Read(JsonElement config, string source, double defaultMlpRatio)
    {
        int Int(string name) => config.TryGetProperty(name, out var value) && value.TryGetInt32(out var n)
            ? n
            : throw new ImageEncoderException($"{source}: '{name}' is missing or not a whole number.");
        var hidden = Int("hidden_size");
        var mlp = config.TryGetProperty("intermediate_size", out var intermediate) && intermediate.TryGetInt32(out var m)
            ? m
            : (int)Math.Round(hidden * (config.TryGetProperty("mlp_ratio", out var ratio) ? ratio.GetDouble() : defaultMlpRatio));
        var eps = config.TryGetProperty("layer_norm_eps", out var e) ? e.GetDouble() : 1e-5;
        var act = config.TryGetProperty("hidden_act", out var a) ? a.GetString() ?? "gelu" : "gelu";
        if (act is not ("gelu" or "quick_gelu"))
            throw new ImageEncoderException($"{source}: hidden_act '{act}' is not supported (gelu, quick_gelu).");
        var parsed = new VitConfig(hidden, Int("num_hidden_layers"), Int("num_attention_heads"), mlp, Int("image_size"), Int("patch_size"), eps, act == "quick_gelu");
        parsed.Validate(source);
        return parsed;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"hidden {Hidden}, {Layers} layers, {Heads} heads, mlp {MlpDim}, image {ImageSize}, patch {PatchSize}");
}

/// <summary>A model folder that cannot be used for automatic scores; the message names the file and what to do.</summary>
public sealed class ImageEncoderException(string message, Exception? inner = null) : Exception(message, inner);
