using System.Globalization;
using SweepRunner.Diffusion.Checkpoints;
using SweepRunner.Diffusion.Tokenizer;
using static TorchSharp.torch;

namespace SweepRunner.DemoBuilder;

/// <summary>The sizes of a random encoder: the tiny test models by default, or a published model's for timing.</summary>
public sealed record EncoderShape(int Hidden = 32, int Layers = 2, int Heads = 4, int Mlp = 64, int Projection = 16, int TextHidden = 32,
    int TextLayers = 2, int TextHeads = 4, int TextMlp = 64, int? TextVocab = null)
{
    /// <summary>openai/clip-vit-large-patch14's sizes (use image 224, patch 14).</summary>
    public static EncoderShape ClipVitL14 { get; } = new(1024, 24, 16, 4096, 768, 768, 12, 12, 3072, 49408);

    /// <summary>facebook/dinov2-base's sizes (use image 518, patch 14).</summary>
    public static EncoderShape Dinov2Base { get; } = new(768, 12, 12, 3072);
}

/// <summary>
/// CLIP and DINOv2 model folders with random weights in the real Hugging Face key layout (listed here key by key,
/// independently of the model code), for encoder and automatic-score tests and timings: nothing is downloaded.
/// </summary>
public static class RandomImageEncoders
{
    public const int TextPositions = 77;

    /// <summary>A CLIP folder (image 28, patch 14, quick_gelu) with a tokenizer trained on <paramref name="captions"/>.</summary>
    /// <param name="textActivation">The text tower's hidden_act: quick_gelu (OpenAI's) or gelu (OpenCLIP's ViT-H/14).</param>
    public static string WriteClip(string folder, int seed, IEnumerable<string> captions, int imageSize = 28, int patch = 14, EncoderShape? shape = null,
        string textActivation = "quick_gelu")
    {
        var (Hidden, Layers, Heads, Mlp, Projection) = Sizes(shape ??= new EncoderShape());
        Directory.CreateDirectory(folder);
        var vocabulary = ClipBpeTrainer.Train(captions, 600);
        vocabulary.Save(folder);
        var vocab = shape.TextVocab ?? vocabulary.Tokens.Count;
        var eos = vocabulary.Tokens.ToList().IndexOf(ClipTokenizer.EndOfText);
        var (textHidden, textLayers, textHeads, textMlp) = (shape.TextHidden, shape.TextLayers, shape.TextHeads, shape.TextMlp);
        File.WriteAllText(Path.Combine(folder, "config.json"), string.Create(CultureInfo.InvariantCulture, $$"""
            {"model_type": "clip", "projection_dim": {{Projection}},
             "vision_config": {"hidden_size": {{Hidden}}, "intermediate_size": {{Mlp}}, "num_hidden_layers": {{Layers}}, "num_attention_heads": {{Heads}},
                               "image_size": {{imageSize}}, "patch_size": {{patch}}, "layer_norm_eps": 1e-5, "hidden_act": "quick_gelu"},
             "text_config": {"vocab_size": {{vocab}}, "hidden_size": {{textHidden}}, "intermediate_size": {{textMlp}}, "num_hidden_layers": {{textLayers}},
                             "num_attention_heads": {{textHeads}}, "max_position_embeddings": {{TextPositions}}, "hidden_act": "{{textActivation}}",
                             "eos_token_id": {{eos}}} }
            """));
        var grid = imageSize / patch;
        var shapes = new List<(string, long[])>
        {
            ("vision_model.embeddings.class_embedding", [Hidden]),
            ("vision_model.embeddings.patch_embedding.weight", [Hidden, 3, patch, patch]),
            ("vision_model.embeddings.position_embedding.weight", [grid * grid + 1, Hidden]),
            ("vision_model.pre_layrnorm.weight", [Hidden]), ("vision_model.pre_layrnorm.bias", [Hidden]),
            ("vision_model.post_layernorm.weight", [Hidden]), ("vision_model.post_layernorm.bias", [Hidden]),
            ("visual_projection.weight", [Projection, Hidden]),
            ("text_model.embeddings.token_embedding.weight", [vocab, textHidden]),
            ("text_model.embeddings.position_embedding.weight", [TextPositions, textHidden]),
            ("text_model.final_layer_norm.weight", [textHidden]), ("text_model.final_layer_norm.bias", [textHidden]),
            ("text_projection.weight", [Projection, textHidden]),
            ("logit_scale", []),
        };
        foreach (var (tower, width, mlp, layers) in new[] { ("vision_model", Hidden, Mlp, Layers), ("text_model", textHidden, textMlp, textLayers) })
            for (var layer = 0; layer < layers; layer++)
            {
                var prefix = $"{tower}.encoder.layers.{layer}";
                foreach (var norm in new[] { "layer_norm1", "layer_norm2" })
                    shapes.AddRange([($"{prefix}.{norm}.weight", [width]), ($"{prefix}.{norm}.bias", [width])]);
                foreach (var projection in new[] { "q_proj", "k_proj", "v_proj", "out_proj" })
                    shapes.AddRange([($"{prefix}.self_attn.{projection}.weight", [width, width]), ($"{prefix}.self_attn.{projection}.bias", [width])]);
                shapes.AddRange([($"{prefix}.mlp.fc1.weight", [mlp, width]), ($"{prefix}.mlp.fc1.bias", [mlp]),
                                 ($"{prefix}.mlp.fc2.weight", [width, mlp]), ($"{prefix}.mlp.fc2.bias", [width])]);
            }

        Write(Path.Combine(folder, "model.safetensors"), shapes, seed, extra: [("vision_model.embeddings.position_ids", arange(grid * grid + 1).unsqueeze(0))]);
        return folder;
    }

    /// <summary>A DINOv2 folder (image <paramref name="imageSize"/>, patch 14, gelu, layer scale).</summary>
    public static string WriteDino(string folder, int seed, int imageSize = 42, int patch = 14, EncoderShape? shape = null)
    {
        var (Hidden, Layers, Heads, Mlp, _) = Sizes(shape ?? new EncoderShape());
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "config.json"), string.Create(CultureInfo.InvariantCulture, $$"""
            {"model_type": "dinov2", "hidden_size": {{Hidden}}, "num_hidden_layers": {{Layers}}, "num_attention_heads": {{Heads}}, "mlp_ratio": {{(double)Mlp / Hidden}},
             "image_size": {{imageSize}}, "patch_size": {{patch}}, "layer_norm_eps": 1e-6, "hidden_act": "gelu", "layerscale_value": 1.0, "use_swiglu_ffn": false}
            """));
        var grid = imageSize / patch;
        var shapes = new List<(string, long[])>
        {
            ("embeddings.cls_token", [1, 1, Hidden]), ("embeddings.mask_token", [1, Hidden]),
            ("embeddings.position_embeddings", [1, grid * grid + 1, Hidden]),
            ("embeddings.patch_embeddings.projection.weight", [Hidden, 3, patch, patch]), ("embeddings.patch_embeddings.projection.bias", [Hidden]),
            ("layernorm.weight", [Hidden]), ("layernorm.bias", [Hidden]),
        };
        for (var layer = 0; layer < Layers; layer++)
        {
            var prefix = $"encoder.layer.{layer}";
            foreach (var norm in new[] { "norm1", "norm2" })
                shapes.AddRange([($"{prefix}.{norm}.weight", [Hidden]), ($"{prefix}.{norm}.bias", [Hidden])]);
            foreach (var projection in new[] { "attention.attention.query", "attention.attention.key", "attention.attention.value", "attention.output.dense" })
                shapes.AddRange([($"{prefix}.{projection}.weight", [Hidden, Hidden]), ($"{prefix}.{projection}.bias", [Hidden])]);
            shapes.AddRange([($"{prefix}.layer_scale1.lambda1", [Hidden]), ($"{prefix}.layer_scale2.lambda1", [Hidden]),
                             ($"{prefix}.mlp.fc1.weight", [Mlp, Hidden]), ($"{prefix}.mlp.fc1.bias", [Mlp]),
                             ($"{prefix}.mlp.fc2.weight", [Hidden, Mlp]), ($"{prefix}.mlp.fc2.bias", [Hidden])]);
        }

        Write(Path.Combine(folder, "model.safetensors"), shapes, seed, extra: []);
        return folder;
    }

    static (int, int, int, int, int) Sizes(EncoderShape shape) => (shape.Hidden, shape.Layers, shape.Heads, shape.Mlp, shape.Projection);

    /// <summary>Random weights: layer-norm weights near 1, everything else N(0, 0.2²).</summary>
    static void Write(string path, IReadOnlyList<(string Name, long[] Shape)> shapes, int seed, IReadOnlyList<(string, Tensor)> extra)
    {
        using var generator = new Generator((ulong)seed, CPU);
        var tensors = shapes.Select(s => (s.Name, Tensor: s.Name.Contains("norm", StringComparison.Ordinal) && s.Name.EndsWith(".weight", StringComparison.Ordinal)
            ? 1 + 0.1 * randn(s.Shape, generator: generator)
            : 0.2 * randn(s.Shape, generator: generator))).Concat(extra).ToList();
        try
        {
            SafetensorsWriter.Write(path, tensors);
        }
        finally
        {
            foreach (var (_, tensor) in tensors) tensor.Dispose();
        }
    }
}
