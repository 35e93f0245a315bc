using TorchSharp;
using System.Text.Json;
using SweepRunner.Diffusion.TextEncoder;
using SweepRunner.Diffusion.Tokenizer;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.ImageEncoders;

/// <summary>
/// A CLIP model (e.g. openai/clip-vit-large-patch14) loaded from its Hugging Face folder: image embeddings for CLIP-I,
/// image and prompt embeddings for CLIP-T, L2-normalised. The folder's vocab.json and merges.txt tokenize prompts
/// (cut to the model's context, as CLIP does).
/// </summary>
public sealed class ClipEmbedder : IImageEmbedder, ITextEmbedder, IDisposable
{
    private readonly ClipModel _model;
    private readonly ClipTokenizer _tokenizer;
    private readonly ImagePreprocessor _preprocessor;
    private readonly Device _device;

    ClipEmbedder(ClipModel model, ClipTokenizer tokenizer, ImagePreprocessor preprocessor, Device device, string sha256, VitConfig vision)
    {
        (_model, _tokenizer, _preprocessor, _device, ModelSha256, Vision) = (model, tokenizer, preprocessor, device, sha256, vision);
    }

    public string ModelSha256 { get; }

    public VitConfig Vision { get; }

    /// <exception cref="ImageEncoderException">The folder is not a usable CLIP model; the message names the file and what to do.</exception>
    public static ClipEmbedder Load(string folder, Device? device = null)
    {
        const string download = "a CLIP model such as openai/clip-vit-large-patch14";
        using var config = ModelFolder.ReadConfig(folder, "clip", download);
        var source = Path.Combine(folder, "config.json");
        var root = config.RootElement;
        var vision = VitConfig.Read(Section(root, "vision_config", source), source + " (vision_config)", 4);
        var text = TextConfig(Section(root, "text_config", source), source + " (text_config)");
        var projection = root.TryGetProperty("projection_dim", out var p) ? p.GetInt32() : 512;
        if (!File.Exists(Path.Combine(folder, "vocab.json")) || !File.Exists(Path.Combine(folder, "merges.txt")))
            throw new ImageEncoderException($"'{folder}' has no vocab.json and merges.txt; download the model's tokenizer files beside config.json.");
        var tokenizer = ClipTokenizer.FromFolder(folder, text.MaxPositions);
        if (tokenizer.VocabularySize > text.VocabSize)
            throw new ImageEncoderException($"'{folder}': the tokenizer has {tokenizer.VocabularySize} tokens but the text model embeds {text.VocabSize}; the files are of different models.");
        var model = new ClipModel(vision, text, projection);
        try
        {
            var hash = ModelFolder.LoadWeights(model, folder, key => key.EndsWith(".position_ids", StringComparison.Ordinal) || key == "logit_scale");
            var target = device ?? CPU;
            model.to(target);
            model.eval();
            return new ClipEmbedder(model, tokenizer, ImagePreprocessor.Clip(vision.ImageSize), target, hash, vision);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    public IReadOnlyList<float[]> EmbedImages(IReadOnlyList<string> imagePaths)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        if (imagePaths.Count == 0) return [];
        var pixels = stack(imagePaths.Select(_preprocessor.Load).ToArray()).to(_device);
        return Rows(_model.forward(pixels));
    }

    public IReadOnlyList<float[]> EmbedTexts(IReadOnlyList<string> texts)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        if (texts.Count == 0) return [];
        var encodings = texts.Select(_tokenizer.Encode).ToList();
        var ids = tensor(encodings.SelectMany(e => e.Ids.Select(id => (long)id)).ToArray(), [encodings.Count, _tokenizer.MaxLength]).to(_device);
        return Rows(_model.EmbedText(ids, encodings.Select(e => (long)e.Length - 1).ToArray()));
    }

    internal static IReadOnlyList<float[]> Rows(Tensor embeddings)
    {
        var normalised = embeddings / embeddings.norm(1, keepdim: true);
        var flat = normalised.cpu().to_type(ScalarType.Float32).data<float>().ToArray();
        var width = (int)normalised.shape[1];
        return Enumerable.Range(0, (int)normalised.shape[0]).Select(i => flat.AsSpan(i * width, width).ToArray()).ToList();
    }

    static JsonElement Section(JsonElement root, string name, string source) =>
        root.TryGetProperty(name, out var section) && section.ValueKind == JsonValueKind.Object
            ? section
            : throw new ImageEncoderException($"{source}: '{name}' is missing; this is not a CLIPModel config.");

    static ClipTextConfig TextConfig(JsonElement text, string source)
    {
        int Int(string name, int? fallback = null) => text.TryGetProperty(name, out var v) && v.TryGetInt32(out var n) ? n
            : fallback ?? throw new ImageEncoderException($"{source}: '{name}' is missing or not a whole number.");
        var act = text.TryGetProperty("hidden_act", out var a) ? a.GetString() : "quick_gelu";
        if (act != "quick_gelu")
            throw new ImageEncoderException($"{source}: hidden_act '{act}' is not supported for the text tower (quick_gelu, as OpenAI's CLIP).");
        var config = new ClipTextConfig(Int("vocab_size", 49408), Int("hidden_size"), Int("num_hidden_layers"), Int("num_attention_heads"),
            Int("intermediate_size"), Int("max_position_embeddings", 77), text.TryGetProperty("layer_norm_eps", out var e) ? e.GetDouble() : 1e-5);
        try
        {
            config.Validate();
        }
        catch (ArgumentException error)
        {
            throw new ImageEncoderException($"{source}: {error.Message}", error);
        }

        return config;
    }

    public void Dispose() => _model.Dispose();
}
