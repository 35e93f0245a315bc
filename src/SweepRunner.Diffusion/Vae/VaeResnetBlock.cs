using SweepRunner.Diffusion.Modules;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Vae;

/// <summary>norm1, SiLU, conv1, norm2, SiLU, conv2, plus input (through 1×1 <c>nin_shortcut</c> when channels change).</summary>
public sealed class VaeResnetBlock : nn.Module<Tensor, Tensor>
{
    private readonly GroupNorm norm1;
    private readonly Conv2d conv1;
    private readonly GroupNorm norm2;
    private readonly Conv2d conv2;
    private readonly Conv2d? nin_shortcut;

    public VaeResnetBlock(long inChannels, long outChannels, VaeConfig config, Device? device, ScalarType? dtype)
        : base(nameof(VaeResnetBlock))
    {
        norm1 = Normalization.GroupNorm(config.NormGroups, inChannels, config.NormEps, device, dtype);
        conv1 = nn.Conv2d(inChannels, outChannels, 3, padding: 1, device: device, dtype: dtype);
        norm2 = Normalization.GroupNorm(config.NormGroups, outChannels, config.NormEps, device, dtype);
        conv2 = nn.Conv2d(outChannels, outChannels, 3, padding: 1, device: device, dtype: dtype);
        if (inChannels != outChannels)
        {
            nin_shortcut = nn.Conv2d(inChannels, outChannels, 1, device: device, dtype: dtype);
        }

        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var normed1 = norm1.forward(input);
        using var activated1 = nn.functional.silu(normed1);
        using var hidden = conv1.forward(activated1);
        using var normed2 = norm2.forward(hidden);
        using var activated2 = nn.functional.silu(normed2);
        using var residual = conv2.forward(activated2);
        if (nin_shortcut is null)
        {
            return input + residual;
        }

        using var shortcut = nin_shortcut.forward(input);
        return shortcut + residual;
    }
}
