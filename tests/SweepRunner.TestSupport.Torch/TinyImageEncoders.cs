using System.Globalization;
using SweepRunner.Diffusion.Checkpoints;
using SweepRunner.Diffusion.Tokenizer;
using static TorchSharp.torch;

namespace SweepRunner.TestSupport;

/// <summary>
/// Tiny CLIP and DINOv2 model folders with random weights in the real Hugging Face key layout (listed here key by key,
/// independently of the model code), for encoder and automatic-score tests: nothing is downloaded.
/// </summary>
public static class TinyImageEncoders
{
    public const int Hidden = 32, Layers = 2, Heads = 4, Mlp = 64, Projection = 16, TextPositions = 77;

    /// <summary>A CLIP folder (image 28, patch 14, quick_gelu) with a tokenizer trained on <paramref name="captions"/>.</summary>
    public static string WriteClip(string folder, int seed, IEnumerable<string> captions, int imageSize = 28, int patch = 14)
    {
        Directory.CreateDirectory(folder);
        var vocabulary = ClipBpeTrainer.Train(captions, 600);
        vocabulary.Save(folder);
        var vocab = vocabulary.Tokens.Count;
        File.WriteAllText(Path.Combine(folder, "config.json"), string.Create(CultureInfo.InvariantCulture, $$"""
            {"model_type": "clip", "projection_dim": {{Projection}},
             "vision_config": {"hidden_size": {{Hidden}}, "intermediate_size": {{Mlp}}, "num_hidden_layers": {{Layers}}, "num_attention_heads": {{Heads}},
                               "image_size": {{imageSize}}, "patch_size": {{patch}}, "layer_norm_eps": 1e-5, "hidden_act": "quick_gelu"},
             "text_config": {"vocab_size": {{vocab}}, "hidden_size": {{Hidden}}, "intermediate_size": {{Mlp}}, "num_hidden_layers": {{Layers}},
                             "num_attention_heads": {{Heads}}, "max_position_embeddings": {{TextPositions}}, "hidden_act": "quick_gelu"} }
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
            ("text_model.embeddings.token_embedding.weight", [vocab, Hidden]),
            ("text_model.embeddings.position_embedding.weight", [TextPositions, Hidden]),
            ("text_model.final_layer_norm.weight", [Hidden]), ("text_model.final_layer_norm.bias", [Hidden]),
            ("text_projection.weight", [Projection, Hidden]),
            ("logit_scale", []),
        };
        foreach (var tower in new[] { "vision_model", "text_model" })
            for (var layer = 0; layer < Layers; layer++)
            {
                var prefix = $"{tower}.encoder.layers.{layer}";
                foreach (var norm in new[] { "layer_norm1", "layer_norm2" })
                    shapes.AddRange([($"{prefix}.{norm}.weight", [Hidden]), ($"{prefix}.{norm}.bias", [Hidden])]);
                foreach (var projection in new[] { "q_proj", "k_proj", "v_proj", "out_proj" })
                    shapes.AddRange([($"{prefix}.self_attn.{projection}.weight", [Hidden, Hidden]), ($"{prefix}.self_attn.{projection}.bias", [Hidden])]);
                shapes.AddRange([($"{prefix}.mlp.fc1.weight", [Mlp, Hidden]), ($"{prefix}.mlp.fc1.bias", [Mlp]),
                                 ($"{prefix}.mlp.fc2.weight", [Hidden, Mlp]), ($"{prefix}.mlp.fc2.bias", [Hidden])]);
            }

        Write(Path.Combine(folder, "model.safetensors"), shapes, seed, extra: [("vision_model.embeddings.position_ids", arange(grid * grid + 1).unsqueeze(0))]);
        return folder;
    }

    /// <summary>A DINOv2 folder (image <paramref name="imageSize"/>, patch 14, gelu, layer scale).</summary>
    public static string WriteDino(string folder, int seed, int imageSize = 42, int patch = 14)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "config.json"), string.Create(CultureInfo.InvariantCulture, $$"""
            {"model_type": "dinov2", "hidden_size": {{Hidden}}, "num_hidden_layers": {{Layers}}, "num_attention_heads": {{Heads}}, "mlp_ratio": 2,
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
                             ($"{prefix}.mlp.fc1.weight", [2 * Hidden, Hidden]), ($"{prefix}.mlp.fc1.bias", [2 * Hidden]),
                             ($"{prefix}.mlp.fc2.weight", [Hidden, 2 * Hidden]), ($"{prefix}.mlp.fc2.bias", [Hidden])]);
        }

        Write(Path.Combine(folder, "model.safetensors"), shapes, seed, extra: []);
        return folder;
    }

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
