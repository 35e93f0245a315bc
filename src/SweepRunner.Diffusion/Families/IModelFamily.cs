using SweepRunner.Diffusion.Lora;
using SweepRunner.Diffusion.Model;
using SweepRunner.Diffusion.Schedulers;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Families;

/// <summary>
/// What differs between Stable Diffusion model families (SD 1.x, SD 2.x, SDXL, v-prediction models): which checkpoints
/// belong to the family, how they load, where kohya LoRA modules go and what they are called, and the training
/// objective (noise schedule, how noise is added, what the UNet is trained to predict). SD 1.x
/// (<see cref="Sd1Family"/>) is the one SweepRunner implements.
/// </summary>
public interface IModelFamily
{
    /// <summary>The family's name in messages ("SD 1.x").</summary>
    string Name { get; }

    /// <summary>
    /// Refuses, with <see cref="ModelLoadException"/> naming what the file is instead, a single-file checkpoint whose
    /// key names or metadata belong to another family (or that is not a base model).
    /// </summary>
    void CheckSingleFile(string path, IReadOnlyCollection<string> keys, IReadOnlyDictionary<string, string> metadata);

    /// <summary>The same for a diffusers model folder, before its weights are opened.</summary>
    void CheckDiffusersFolder(string folder);

    /// <summary>
    /// The configuration of a checkpoint of this family: named by its metadata, or recognised from the shapes of the
    /// UNet input conv, token embedding and VAE input conv (null when absent).
    /// </summary>
    /// <exception cref="ModelLoadException">No configuration of the family fits; the message says why.</exception>
    (string Name, DiffusionModelConfig Config) Identify(
        string path, IReadOnlyDictionary<string, string> metadata, long[]? unetInputConv, long[]? tokenEmbedding, long[]? vaeInputConv);

    /// <summary>Loads the checkpoint at <paramref name="location"/> strictly.</summary>
    StableDiffusionModel Load(ModelLocation location, ModelLoadOptions? options = null);

    /// <summary>The slot groups a kohya network with <paramref name="options"/> gets modules in.</summary>
    LoraTargets LoraTargets(LoraNetworkOptions options);

    /// <summary>kohya's module-name prefix for slots of <paramref name="group"/> (<c>lora_unet_</c>, <c>lora_te_</c>).</summary>
    string KohyaPrefix(LoraTargets group);

    /// <summary>True when <paramref name="key"/> names a tensor of a kohya LoRA module of this family.</summary>
    bool IsKohyaLoraKey(string key);

    /// <summary>The DDPM noise schedule the family is trained and sampled with.</summary>
    DdpmSchedule Schedule { get; }

    /// <summary>Training timesteps for <paramref name="batchSize"/> samples, int64, drawn from <paramref name="generator"/>.</summary>
    Tensor SampleTimesteps(int batchSize, Generator? generator, Device? device);

    /// <summary>The noisy latents the UNet sees in training: <paramref name="latents"/> noised to <paramref name="timesteps"/>.</summary>
    Tensor AddNoise(Tensor latents, Tensor noise, Tensor timesteps);

    /// <summary>What the UNet is trained to predict for these latents, noise and timesteps.</summary>
    Tensor Target(Tensor latents, Tensor noise, Tensor timesteps);

    /// <summary>The Min-SNR-γ loss weight per sample for this family's prediction type.</summary>
    Tensor MinSnrWeight(Tensor timesteps, double gamma);
}
