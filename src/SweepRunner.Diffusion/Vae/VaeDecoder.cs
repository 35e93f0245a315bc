using SweepRunner.Diffusion.Modules;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Vae;

/// <summary>
/// <c>decoder</c>: <c>conv_in</c>, <c>mid</c>, levels <c>up.N</c> applied from the deepest (<c>up.3</c>) to <c>up.0</c>,
/// <c>norm_out</c>, SiLU, <c>conv_out</c> to image channels.
/// </summary>
public sealed class VaeDecoder : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv_in;
    private readonly VaeMidBlock mid;
    private readonly ModuleList<VaeUpLevel> up;
    private readonly GroupNorm norm_out;
    private readonly Conv2d conv_out;

    public VaeDecoder(VaeConfig config, Device? device, ScalarType? dtype)
        : base(nameof(VaeDecoder))
    {
        var channels = config.BlockChannels;
        var last = channels[^1];
        conv_in = nn.Conv2d(config.LatentChannels, last, 3, padding: 1, device: device, dtype: dtype);
        mid = new VaeMidBlock(last, config, device, dtype);
        // up.N takes the channels of level N+1 (the deepest level takes its own) and outputs level N's channels.
        up = new ModuleList<VaeUpLevel>(
            Enumerable.Range(0, channels.Count)
                .Select(i => new VaeUpLevel(i == channels.Count - 1 ? last : channels[i + 1], channels[i], i > 0, config, device, dtype))
                .ToArray());
        norm_out = Normalization.GroupNorm(config.NormGroups, channels[0], config.NormEps, device, dtype);
        conv_out = nn.Conv2d(channels[0], config.ImageChannels, 3, padding: 1, device: device, dtype: dtype);
        RegisterComponents();
    }

    /// <summary>Latents [B, latent, h, w] (unscaled, after post_quant_conv) → images [B, 3, 8h, 8w].</summary>
    public override Tensor forward(Tensor latents)
    {
        using var input = conv_in.forward(latents);
        var hidden = mid.forward(input);
        for (var i = up.Count - 1; i >= 0; i--)
        {
            using var previous = hidden;
            hidden = up[i].forward(previous);
        }

        using (hidden)
        {
            using var normed = norm_out.forward(hidden);
            using var activated = nn.functional.silu(normed);
            return conv_out.forward(activated);
        }
    }
}
