using TorchSharp;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.ImageEncoders;

/// <summary>A DINOv2 model (e.g. facebook/dinov2-base) loaded from its Hugging Face folder: L2-normalised image embeddings for DINO scores.</summary>
public sealed class DinoEmbedder : IImageEmbedder, IDisposable
{
    private readonly Dinov2Model _model;
    private readonly ImagePreprocessor _preprocessor;
    private readonly Device _device;

    DinoEmbedder(Dinov2Model model, ImagePreprocessor preprocessor, Device device, string sha256, VitConfig config)
    {
        (_model, _preprocessor, _device, ModelSha256, Config) = (model, preprocessor, device, sha256, config);
    }

    public string ModelSha256 { get; }

    public VitConfig Config { get; }

    /// <param name="cropSize">The processor's crop (224 for the published models); null uses 224, or the model's image size when smaller.</param>
    /// <exception cref="ImageEncoderException">The folder is not a usable DINOv2 model; the message names the file and what to do.</exception>
    public static DinoEmbedder Load(string folder, Device? device = null, int? cropSize = null)
    {
        const string download = "a DINOv2 model such as facebook/dinov2-base";
        using var json = ModelFolder.ReadConfig(folder, "dinov2", download);
        var source = Path.Combine(folder, "config.json");
        if (json.RootElement.TryGetProperty("use_swiglu_ffn", out var swiglu) && swiglu.ValueKind == System.Text.Json.JsonValueKind.True)
            throw new ImageEncoderException($"{source}: use_swiglu_ffn is true (dinov2-giant); use dinov2-small, -base or -large.");
        var config = VitConfig.Read(json.RootElement, source, 4);
        var crop = cropSize ?? Math.Min(224, config.ImageSize);
        if (crop % config.PatchSize != 0)
            throw new ImageEncoderException($"{source}: the crop {crop} is not a multiple of patch_size {config.PatchSize}.");
        var model = new Dinov2Model(config);
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

    public IReadOnlyList<float[]> EmbedImages(IReadOnlyList<string> imagePaths)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        if (imagePaths.Count == 0) return [];
        var pixels = stack(imagePaths.Select(_preprocessor.Load).ToArray()).to(_device);
        return ClipEmbedder.Rows(_model.forward(pixels));
    }

    public void Dispose() => _model.Dispose();
}
