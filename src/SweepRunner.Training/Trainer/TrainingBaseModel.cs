using SweepRunner.Diffusion.Model;
using SweepRunner.Diffusion.Tokenizer;

namespace SweepRunner.Training.Trainer;

/// <summary>A loaded base model as the trainer needs it.</summary>
/// <param name="Model">Text encoder, UNet and VAE on their device (fp32 weights; the trainer casts the frozen UNet and
/// text encoder for mixed precision during a run and casts them back afterwards).</param>
/// <param name="Tokenizer">The model's CLIP tokenizer.</param>
/// <param name="Name">The checkpoint's file name (ss_sd_model_name, the previews' "Model").</param>
/// <param name="VaeIdentity">Identity of the VAE weights for the latent cache; null computes it from the weights.</param>
public sealed record TrainingBaseModel(StableDiffusionModel Model, ClipTokenizer Tokenizer, string Name, string? VaeIdentity = null);
