using SweepRunner.Diffusion.Lora;
using SweepRunner.Diffusion.Model;
using SweepRunner.Diffusion.Tokenizer;

namespace SweepRunner.Training.Trainer;

/// <summary>A loaded base model as the trainer needs it.</summary>
/// <param name="Model">Text encoder, UNet and VAE on their device (fp32 weights; the trainer casts the frozen UNet and
/// text encoder for mixed precision during a run and casts them back afterwards).</param>
/// <param name="Tokenizer">The model's CLIP tokenizer.</param>
/// <param name="Name">The model's name in the previews' "Model" (the checkpoint's name without extension).</param>
/// <param name="VaeIdentity">Identity of the VAE weights for the latent cache; null computes it from the weights.</param>
/// <param name="CheckpointPath">The checkpoint file or diffusers folder it was loaded from, for ss_sd_model_name and the
/// base model hashes; null when it has none (a model built in memory), which leaves the hashes out.</param>
public sealed record TrainingBaseModel(StableDiffusionModel Model, ClipTokenizer Tokenizer, string Name, string? VaeIdentity = null,
    string? CheckpointPath = null)
{
    private BaseModelHashes? _hashes;
    private bool _hashed;

    /// <summary>ss_sd_model_name: the checkpoint's file name with its extension (the folder name of a diffusers model), as sd-scripts writes it.</summary>
    public string FileName => CheckpointPath is null ? Name : Path.GetFileName(Path.TrimEndingDirectorySeparator(CheckpointPath));

    /// <summary>ss_sd_model_hash and ss_new_sd_model_hash of the checkpoint, computed on first use (a full read of the file) and kept.</summary>
    public BaseModelHashes? Hashes
    {
        get
        {
            if (!_hashed && CheckpointPath is not null) _hashes = BaseModelHashes.Of(CheckpointPath);
            _hashed = true;
            return _hashes;
        }
    }
}
