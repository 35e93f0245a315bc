using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Vae;

/// <summary>Encoder <c>downsample</c>: pad right and bottom by one, then stride-2 3×3 <c>conv</c> (LDM's asymmetric padding).</summary>
public sealed class VaeDownsample : nn.Module<Tensor, Tensor>
{
    private static readonly long[] RightBottomPadding = { 0, 1, 0, 1 };
    private readonly Conv2d conv;

    public VaeDownsample(long channels, Device? device, ScalarType? dtype)
        : base(nameof(VaeDownsample))
    {
        conv = nn.Conv2d(channels, channels, 3, stride: 2, device: device, dtype: dtype);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var padded = nn.functional.pad(input, RightBottomPadding);
        return conv.forward(padded);
    }
}

/// <summary>Decoder <c>upsample</c>: nearest-neighbour 2× then 3×3 <c>conv</c>.</summary>
public sealed class VaeUpsample : nn.Module<Tensor, Tensor>
{
    private static readonly double[] Scale = { 2.0, 2.0 };
    private readonly Conv2d conv;

    public VaeUpsample(long channels, Device? device, ScalarType? dtype)
        : base(nameof(VaeUpsample))
    {
        conv = nn.Conv2d(channels, channels, 3, padding: 1, device: device, dtype: dtype);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var enlarged = nn.functional.interpolate(input, scale_factor: Scale, mode: InterpolationMode.Nearest);
        return conv.forward(enlarged);
    }
}
