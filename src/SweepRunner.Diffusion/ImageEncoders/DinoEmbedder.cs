using TorchSharp;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.ImageEncoders;

/// <summary>
/// A DINOv2 model (e.g. facebook/dinov2-small or -base) loaded from its Hugging Face folder (config.json,
/// model.safetensors): L2-normalised image embeddings for DINO scores.
/// </summary>
/// <remarks>
/// The embedding is the final layernorm's output at the class token, transformers' pooler_output. Images are prepared
/// by <see cref="ImagePreprocessor.Dino"/> (shortest side 256, centre crop 224 for the published models, whose config
/// says image_size 518): the 37×37 trained position embeddings are resized to the 16×16 grid of the crop (see
/// <see cref="Dinov2Model"/>).
/// </remarks>
public sealed class DinoEmbedder : IImageEmbedder, IDisposable
{
    /// <summary>Images per forward pass.</summary>
    public const int BatchSize = 8;

    /// <summary>The crop of BitImageProcessor for DINOv2 (crop_size 224).</summary>
    public const int PublishedCrop = 224;

    private readonly Dinov2Model _model;
    private readonly Device _device;

    DinoEmbedder(Dinov2Model model, ImagePreprocessor preprocessor, Device device, string sha256, VitConfig config)
    {
        (_model, Preprocessor, _device, ModelSha256, Config) = (model, preprocessor, device, sha256, config);
    }

    /// <summary>SHA-256 of model.safetensors (lower-case hex): scores of different models are never mixed.</summary>
    public string ModelSha256 { get; }

    public VitConfig Config { get; }

    public ImagePreprocessor Preprocessor { get; }

    /// <param name="cropSize">The processor's crop; null takes 224, or the model's image_size when that is smaller (a test model).</param>
    /// <exception cref="ImageEncoderException">The folder is not a usable DINOv2 model; the message names the file and what to do.</exception>
    public static DinoEmbedder Load(string folder, Device? device = null, int? cropSize = null)
    {
        const string download = "a DINOv2 model such as facebook/dinov2-base";
        using var json = ModelFolder.ReadConfig(folder, "dinov2", download);
        var root = new ConfigSection(json.RootElement, $"'{Path.Combine(folder, "config.json")}'");
        if (root.Bool("use_swiglu_ffn", false))
            throw new ImageEncoderException($"{root.Source}: use_swiglu_ffn is true (dinov2-giant's SwiGLU MLP), which is not supported; use dinov2-small, -base or -large.");
        if (!root.Bool("qkv_bias", true))
            throw new ImageEncoderException($"{root.Source}: qkv_bias is false, which no published DINOv2 has and is not supported; use dinov2-small, -base or -large.");
        var config = VitConfig.Dinov2(root);
        var crop = cropSize ?? Math.Min(PublishedCrop, config.ImageSize);
        if (crop <= 0 || crop % config.PatchSize != 0)
            throw new ImageEncoderException($"{root.Source}: the crop {crop} is not a positive multiple of patch_size {config.PatchSize}.");
        var model = new Dinov2Model(config, maskToken: root.Bool("use_mask_token", true));
        try
        {
            var hash = ModelFolder.LoadWeights(model, folder, _ => false);
            var target = device ?? CPU;
            model.to(target);
            model.eval();
            return new DinoEmbedder(model, ImagePreprocessor.Dino(crop), target, hash, config);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>One L2-normalised embedding per image file, in order.</summary>
    public IReadOnlyList<float[]> EmbedImages(IReadOnlyList<string> imagePaths) =>
        Embeddings.OfImages(imagePaths, Preprocessor, _device, BatchSize, _model.forward);

    public void Dispose() => _model.Dispose();
}
