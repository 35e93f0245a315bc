using SweepRunner.Diffusion.Lora;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Unet;

/// <summary>Nearest-neighbour 2× upsampling then 3×3 <c>conv</c> (diffusers <c>upsamplers.0.conv</c>, a conv-LoRA slot).</summary>
public sealed class Upsample : nn.Module<Tensor, Tensor>
{
    private static readonly double[] Scale = { 2.0, 2.0 };
    private readonly LoraConv2d conv;

    public Upsample(string slotPath, long channels, Device? device, ScalarType? dtype)
        : base(nameof(Upsample))
    {
        conv = new LoraConv2d($"{slotPath}.conv", LoraTargets.UnetConvBlocks, channels, channels, kernelSize: 3, padding: 1, device: device, dtype: dtype);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var enlarged = nn.functional.interpolate(input, scale_factor: Scale, mode: InterpolationMode.Nearest);
        return conv.forward(enlarged);
    }
}
