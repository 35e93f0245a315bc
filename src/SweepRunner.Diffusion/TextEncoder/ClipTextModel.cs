using SweepRunner.Diffusion.Lora;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.TextEncoder;

/// <summary>
/// The CLIP text encoder as stored under <c>cond_stage_model.transformer.</c>: one child, <c>text_model</c>.
/// LoRA slot paths are relative to this module (<c>text_model.encoder.layers.0.self_attn.q_proj</c>).
/// </summary>
public sealed class ClipTextModel : nn.Module<Tensor, long, Tensor>
{
    private readonly ClipTextTransformer text_model;

    public ClipTextModel(ClipTextConfig config, Device? device = null, ScalarType? dtype = null)
        : base(nameof(ClipTextModel))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        text_model = new ClipTextTransformer("text_model", config, device, dtype);
        RegisterComponents();
    }

    public ClipTextConfig Config { get; }

    /// <summary>Token ids [B, T] and clip_skip (1 = last layer) → conditioning [B, T, width].</summary>
    public override Tensor forward(Tensor tokenIds, long clipSkip) => text_model.forward(tokenIds, clipSkip);

    /// <summary>The slot layers of the self-attention and MLP projections (6 per layer).</summary>
    public IEnumerable<LoraSlot> LoraSlots() => Lora.LoraSlots.Enumerate(this, LoraTargets.TextEncoder);
}
