using System.Text.Json;
using SweepRunner.Diffusion.Lora;
using SweepRunner.Diffusion.Model;
using SweepRunner.Diffusion.Schedulers;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Families;

/// <summary>
/// Stable Diffusion 1.x: CLIP ViT-L text encoder, 4-channel UNet, epsilon prediction on the scaled-linear DDPM
/// schedule (<see cref="DdpmSchedule.Sd15"/>). Checkpoints are recognised by <see cref="ModelArchitecture"/>; SDXL,
/// SD 2.x and v-prediction files are refused by name. LoRA modules follow sd-scripts' networks/lora.py.
/// </summary>
public sealed class Sd1Family : IModelFamily
{
    /// <summary>kohya's prefix of UNet LoRA modules.</summary>
    public const string UnetLoraPrefix = "lora_unet_";

    /// <summary>kohya's prefix of text encoder LoRA modules.</summary>
    public const string TextEncoderLoraPrefix = "lora_te_";

    /// <summary>The key some v-prediction checkpoints carry to say so (A1111 and ComfyUI read it).</summary>
    public const string VPredictionKey = "v_pred";

    /// <summary>The model-spec metadata key naming the prediction type ("epsilon" or "v").</summary>
    public const string PredictionTypeMetadataKey = "modelspec.prediction_type";

    Sd1Family()
    {
    }

    public static Sd1Family Instance { get; } = new();

    public string Name => "SD 1.x";

    public void CheckSingleFile(string path, IReadOnlyCollection<string> keys, IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(metadata);
        ModelArchitecture.RejectOtherFamilies(path, keys);
        if (keys.Contains(VPredictionKey))
            throw NotEpsilon(path, $"it has a '{VPredictionKey}' key");
        if (metadata.TryGetValue(PredictionTypeMetadataKey, out var prediction) && string.Equals(prediction.Trim(), "v", StringComparison.OrdinalIgnoreCase))
            throw NotEpsilon(path, $"its metadata says {PredictionTypeMetadataKey} = '{prediction}'");
    }

    public void CheckDiffusersFolder(string folder)
    {
        if (Directory.Exists(Path.Combine(folder, "text_encoder_2")))
            throw new ModelLoadException(folder, "not an SD1.x model: it has a second text encoder (text_encoder_2/, SDXL). SweepRunner loads Stable Diffusion 1.x models.");
        var scheduler = Path.Combine(folder, "scheduler", "scheduler_config.json");
        if (File.Exists(scheduler) && SchedulerPredictionType(scheduler) is "v_prediction")
            throw NotEpsilon(folder, "scheduler/scheduler_config.json says prediction_type = 'v_prediction'");
    }

    public (string Name, DiffusionModelConfig Config) Identify(
        string path, IReadOnlyDictionary<string, string> metadata, long[]? unetInputConv, long[]? tokenEmbedding, long[]? vaeInputConv) =>
        ModelArchitecture.Identify(path, metadata, unetInputConv, tokenEmbedding, vaeInputConv);

    public StableDiffusionModel Load(ModelLocation location, ModelLoadOptions? options = null) => ModelLoader.Load(location, options);

    public LoraTargets LoraTargets(LoraNetworkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Lora.LoraTargets.UnetTransformer
            | (options.TrainTextEncoder ? Lora.LoraTargets.TextEncoder : Lora.LoraTargets.None)
            | (options.ConvDim is not null ? Lora.LoraTargets.UnetConvBlocks : Lora.LoraTargets.None);
    }

    public string KohyaPrefix(LoraTargets group) => group == Lora.LoraTargets.TextEncoder ? TextEncoderLoraPrefix : UnetLoraPrefix;

    public bool IsKohyaLoraKey(string key) =>
        key.StartsWith(UnetLoraPrefix, StringComparison.Ordinal) || key.StartsWith(TextEncoderLoraPrefix, StringComparison.Ordinal);

    public DdpmSchedule Schedule => DdpmSchedule.Sd15;

    public Tensor SampleTimesteps(int batchSize, Generator? generator, Device? device) => Schedule.SampleTimesteps(batchSize, generator, device);

    /// <summary>x_t = √ᾱ_t · x0 + √(1 − ᾱ_t) · noise.</summary>
    public Tensor AddNoise(Tensor latents, Tensor noise, Tensor timesteps) => Schedule.AddNoise(latents, noise, timesteps);

    /// <summary>Epsilon prediction: the noise itself.</summary>
    public Tensor Target(Tensor latents, Tensor noise, Tensor timesteps) => DdpmSchedule.EpsilonTarget(noise);

    /// <summary>min(SNR_t, γ) / SNR_t, the weight for epsilon prediction.</summary>
    public Tensor MinSnrWeight(Tensor timesteps, double gamma) => Schedule.MinSnrWeight(timesteps, gamma);

    static ModelLoadException NotEpsilon(string path, string reason) =>
        new(path, $"a v-prediction model: {reason}. SweepRunner trains and samples epsilon-prediction Stable Diffusion 1.x models.");

    static string? SchedulerPredictionType(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("prediction_type", out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;
        }
        catch (JsonException)
        {
            // A scheduler config that is not JSON says nothing about the prediction type; the weights decide.
            return null;
        }
    }
}
