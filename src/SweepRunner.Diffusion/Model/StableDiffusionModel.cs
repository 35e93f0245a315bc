using SweepRunner.Diffusion.Families;
using SweepRunner.Diffusion.Lora;
using SweepRunner.Diffusion.Modules;
using SweepRunner.Diffusion.TextEncoder;
using SweepRunner.Diffusion.Unet;
using SweepRunner.Diffusion.Vae;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Model;

/// <summary>
/// Text encoder, UNet and VAE of Stable Diffusion 1.x under their single-file checkpoint names
/// (<c>model.diffusion_model.*</c>, <c>cond_stage_model.transformer.text_model.*</c>, <c>first_stage_model.*</c>),
/// so a checkpoint's tensors load by name.
/// </summary>
public sealed class StableDiffusionModel : nn.Module
{
    private readonly LdmDiffusionWrapper model;
    private readonly LdmTextConditioner cond_stage_model;
    private readonly AutoencoderKL first_stage_model;

    /// <summary>Builds the three networks on <paramref name="device"/> (CPU when null; <c>torch.META</c> for shapes only).</summary>
    /// <param name="family">The model family (SD 1.x when null): its LoRA layout and training objective.</param>
    public StableDiffusionModel(DiffusionModelConfig config, Device? device = null, ScalarType? dtype = null, IModelFamily? family = null)
        : base(nameof(StableDiffusionModel))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        Family = family ?? Sd1Family.Instance;
        model = new LdmDiffusionWrapper(new UnetModel(config.Unet, device, dtype));
        cond_stage_model = new LdmTextConditioner(new ClipTextModel(config.TextEncoder, device, dtype));
        first_stage_model = new AutoencoderKL(config.Vae, device, dtype);
        RegisterComponents();
    }

    public DiffusionModelConfig Config { get; }

    /// <summary>The family the model belongs to: LoRA targets and names, noise schedule and training objective.</summary>
    public IModelFamily Family { get; }

    public UnetModel Unet => model.DiffusionModel;

    public ClipTextModel TextEncoder => cond_stage_model.Transformer;

    public AutoencoderKL Vae => first_stage_model;

    /// <summary>
    /// Slot layers for <paramref name="targets"/>: UNet slots (paths like <c>down_blocks.0.attentions.0.proj_in</c>)
    /// then text encoder slots (<c>text_model.encoder.layers.0.self_attn.q_proj</c>).
    /// </summary>
    public IEnumerable<LoraSlot> LoraSlots(LoraTargets targets) =>
        Unet.LoraSlots(targets).Concat((targets & LoraTargets.TextEncoder) != 0 ? TextEncoder.LoraSlots() : Enumerable.Empty<LoraSlot>());

    /// <summary>
    /// Copies checkpoint tensors (LDM names) into the parameters under no_grad; see <see cref="CheckpointKeys.Map"/> for
    /// accepted variants. With <paramref name="strict"/> a missing parameter, unknown key or shape mismatch throws
    /// <see cref="StateDictLoadException"/> naming them; otherwise the report lists them. Parameters are frozen
    /// (requires_grad false) when <paramref name="freeze"/> is set.
    /// </summary>
    public StateDictLoadReport LoadStateDict(
        IEnumerable<KeyValuePair<string, Tensor>> tensors, bool strict = true, bool freeze = true, string sourceName = "The checkpoint")
    {
        var report = StateDictLoader.Load(this, tensors, CheckpointKeys.Map, freeze);
        if (strict && !report.IsComplete)
        {
            throw new StateDictLoadException(sourceName, report);
        }

        return report;
    }

    /// <summary>Sets requires_grad on every parameter of the three networks (false: frozen base model).</summary>
    public void SetTrainable(bool trainable)
    {
        foreach (var parameter in parameters())
        {
            parameter.requires_grad = trainable;
        }
    }
}
