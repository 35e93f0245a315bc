using SweepRunner.Diffusion.TextEncoder;
using SweepRunner.Diffusion.Tokenizer;
using TorchSharp;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.ImageEncoders;

/// <summary>
/// A CLIP model (e.g. openai/clip-vit-large-patch14) loaded from its Hugging Face folder (config.json,
/// model.safetensors, vocab.json, merges.txt): image embeddings for CLIP-I, image and prompt embeddings for CLIP-T,
/// each L2-normalised.
/// </summary>
/// <remarks>
/// An image embedding is <c>visual_projection(post_layernorm(class token of the last layer))</c>, the image_embeds of
/// transformers' CLIPModel; images are prepared by <see cref="ImagePreprocessor.Clip"/> at the config's image_size.
/// A prompt is tokenized by the folder's tokenizer (BOS, at most max_position_embeddings − 2 tokens, EOS: longer
/// prompts are cut, as CLIP's tokenizer with truncation does) and its embedding is
/// <c>text_projection(final_layer_norm output at the end-of-text token)</c>, the text_embeds (see
/// <see cref="ClipTextTransformer.EndOfTextPositions"/> for how the token is found). logit_scale is not needed for
/// cosine similarities and is not read.
/// </remarks>
public sealed class ClipEmbedder : IImageEmbedder, ITextEmbedder, IDisposable
{
    /// <summary>Images or prompts per forward pass: a few, so a long list never holds every activation at once.</summary>
    public const int BatchSize = 8;

    private readonly ClipModel _model;
    private readonly ClipTokenizer _tokenizer;
    private readonly Device _device;
    private readonly long _eosTokenId;

    ClipEmbedder(ClipModel model, ClipTokenizer tokenizer, Device device, long eosTokenId, string sha256, VitConfig vision, ClipTextConfig text)
    {
        (_model, _tokenizer, _device, _eosTokenId, ModelSha256, Vision, Text) = (model, tokenizer, device, eosTokenId, sha256, vision, text);
        Preprocessor = ImagePreprocessor.Clip(vision.ImageSize);
    }

    /// <summary>SHA-256 of model.safetensors (lower-case hex): scores of different models are never mixed.</summary>
    public string ModelSha256 { get; }

    public VitConfig Vision { get; }

    public ClipTextConfig Text { get; }

    public ImagePreprocessor Preprocessor { get; }

    /// <exception cref="ImageEncoderException">The folder is not a usable CLIP model; the message names the file and what to do.</exception>
    public static ClipEmbedder Load(string folder, Device? device = null)
    {
        const string download = "a CLIP model such as openai/clip-vit-large-patch14";
        using var json = ModelFolder.ReadConfig(folder, "clip", download);
        var root = new ConfigSection(json.RootElement, $"'{Path.Combine(folder, "config.json")}'");
        var vision = VitConfig.ClipVision(root.Section("vision_config"));
        var textSection = root.Section("text_config");
        var text = TextConfig(textSection);
        var eosTokenId = textSection.Int("eos_token_id", 49407);
        var projection = root.Int("projection_dim", 512);
        var tokenizer = Tokenizer(folder, text, eosTokenId);
        var model = new ClipModel(vision, text, projection);
        try
        {
            var hash = ModelFolder.LoadWeights(model, folder, key => key.EndsWith(".position_ids", StringComparison.Ordinal) || key == "logit_scale");
            var target = device ?? CPU;
            model.to(target);
            model.eval();
            return new ClipEmbedder(model, tokenizer, target, eosTokenId, hash, vision, text);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>One L2-normalised image embedding per file, in order.</summary>
    public IReadOnlyList<float[]> EmbedImages(IReadOnlyList<string> imagePaths) =>
        Embeddings.OfImages(imagePaths, Preprocessor, _device, BatchSize, _model.forward);

    /// <summary>One L2-normalised prompt embedding per text, in order; prompts are cut to the model's context.</summary>
    public IReadOnlyList<float[]> EmbedTexts(IReadOnlyList<string> texts)
    {
        var result = new List<float[]>(texts.Count);
        foreach (var batch in texts.Chunk(BatchSize))
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var ids = batch.SelectMany(text => _tokenizer.Encode(text).Ids.Select(id => (long)id)).ToArray();
            using var tokens = tensor(ids, [batch.Length, _tokenizer.MaxLength]).to(_device);
            result.AddRange(Embeddings.Normalised(_model.EmbedText(tokens, _eosTokenId)));
        }

        return result;
    }

    /// <summary>text_config, with CLIPTextConfig's defaults for absent fields (ViT-B/32's text tower).</summary>
    static ClipTextConfig TextConfig(ConfigSection text)
    {
        var config = new ClipTextConfig(text.Int("vocab_size", 49408), text.Int("hidden_size", 512), text.Int("num_hidden_layers", 12),
            text.Int("num_attention_heads", 8), text.Int("intermediate_size", 2048), text.Int("max_position_embeddings", 77),
            text.Double("layer_norm_eps", 1e-5), VitConfig.Activation(text, "quick_gelu"));
        try
        {
            config.Validate();
        }
        catch (ArgumentException error)
        {
            throw new ImageEncoderException($"{text.Source}: {error.Message}", error);
        }

        return config;
    }

    static ClipTokenizer Tokenizer(string folder, ClipTextConfig text, long eosTokenId)
    {
        foreach (var name in new[] { "vocab.json", "merges.txt" })
        {
            if (!File.Exists(Path.Combine(folder, name)))
                throw new ImageEncoderException($"'{Path.Combine(folder, name)}' does not exist; download the model's tokenizer files (vocab.json, merges.txt) beside config.json.");
        }

        ClipTokenizer tokenizer;
        try
        {
            tokenizer = ClipTokenizer.FromFolder(folder, text.MaxPositions);
        }
        catch (TokenizerFilesException e)
        {
            throw new ImageEncoderException($"{e.Message}; download the model's tokenizer files again.", e);
        }

        if (tokenizer.VocabularySize > text.VocabSize)
            throw new ImageEncoderException($"'{Path.Combine(folder, "vocab.json")}' has {tokenizer.VocabularySize} tokens but config.json's text model embeds {text.VocabSize}; the files are of different models.");
        // eos_token_id 2 is the old default, which transformers reads as "the largest id" (see EndOfTextPositions).
        if (eosTokenId != 2 && eosTokenId != tokenizer.EosId)
            throw new ImageEncoderException($"'{Path.Combine(folder, "config.json")}': text_config eos_token_id is {eosTokenId} but vocab.json's <|endoftext|> is {tokenizer.EosId}; the files are of different models.");
        return tokenizer;
    }

    public void Dispose() => _model.Dispose();
}
