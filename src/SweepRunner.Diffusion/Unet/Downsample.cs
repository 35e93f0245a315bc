using SweepRunner.Diffusion.Lora;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Unet;

/// <summary>Stride-2 3×3 conv <c>op</c> (diffusers <c>downsamplers.0.conv</c>, a conv-LoRA slot).</summary>
public sealed class Downsample : nn.Module<Tensor, Tensor>
{
    private readonly LoraConv2d op;

    public Downsample(string slotPath, long channels, Device? device, ScalarType? dtype)
        : base(nameof(Downsample))
    {
        op = new LoraConv2d($"{slotPath}.conv", LoraTargets.UnetConvBlocks, channels, channels, kernelSize: 3, stride: 2, padding: 1, device: device, dtype: dtype);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => op.forward(input);
}
