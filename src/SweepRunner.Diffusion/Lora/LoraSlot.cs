using SweepRunner.Diffusion.Families;

namespace SweepRunner.Diffusion.Lora;

/// <summary>One place a LoRA module can attach, as enumerated by <see cref="LoraSlots.Enumerate"/>.</summary>
/// <param name="Path">Diffusers-style module path, e.g. <c>down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_q</c>.</param>
/// <param name="Group">The target group (UNet transformer, UNet conv blocks or text encoder).</param>
/// <param name="Kind">Linear, 1×1 conv or 3×3 conv.</param>
/// <param name="InFeatures">Input features or channels.</param>
/// <param name="OutFeatures">Output features or channels.</param>
/// <param name="KernelSize">Kernel side; 1 for Linear.</param>
/// <param name="Stride">Convolution stride; 1 for Linear.</param>
/// <param name="Padding">Convolution padding; 0 for Linear.</param>
/// <param name="Layer">The layer to attach an adapter to.</param>
public sealed record LoraSlot(
    string Path,
    LoraTargets Group,
    LoraSlotKind Kind,
    long InFeatures,
    long OutFeatures,
    int KernelSize,
    int Stride,
    int Padding,
    ILoraSlotLayer Layer)
{
    /// <summary>
    /// The module name kohya writes into LoRA files: <c>lora_unet_</c> or <c>lora_te_</c> followed by the path with
    /// dots replaced by underscores.
    /// </summary>
    public string KohyaName => Sd1Family.Instance.KohyaPrefix(Group) + Path.Replace('.', '_');
}
