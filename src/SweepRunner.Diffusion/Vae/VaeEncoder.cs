using SweepRunner.Diffusion.Modules;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Vae;

/// <summary>
/// <c>encoder</c>: <c>conv_in</c>, levels <c>down.N</c>, <c>mid</c>, <c>norm_out</c>, SiLU, <c>conv_out</c> to
/// 2 × latent channels (mean and log-variance).
/// </summary>
public sealed class VaeEncoder : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv_in;
    private readonly ModuleList<VaeDownLevel> down;
    private readonly VaeMidBlock mid;
    private readonly GroupNorm norm_out;
    private readonly Conv2d conv_out;

    public VaeEncoder(VaeConfig config, Device? device, ScalarType? dtype)
        : base(nameof(VaeEncoder))
    {
        var channels = config.BlockChannels;
        conv_in = nn.Conv2d(config.ImageChannels, channels[0], 3, padding: 1, device: device, dtype: dtype);
        down = new ModuleList<VaeDownLevel>(
            Enumerable.Range(0, channels.Count)
                .Select(i => new VaeDownLevel(i == 0 ? channels[0] : channels[i - 1], channels[i], i < channels.Count - 1, config, device, dtype))
                .ToArray());
        var last = channels[^1];
        mid = new VaeMidBlock(last, config, device, dtype);
        norm_out = Normalization.GroupNorm(config.NormGroups, last, config.NormEps, device, dtype);
        conv_out = nn.Conv2d(last, 2 * config.LatentChannels, 3, padding: 1, device: device, dtype: dtype);
        RegisterComponents();
    }

    /// <summary>Images [B, 3, H, W] → moments [B, 2·latent, H/8, W/8].</summary>
    public override Tensor forward(Tensor images)
    {
        var hidden = conv_in.forward(images);
        foreach (var level in down)
        {
            using var previous = hidden;
            hidden = level.forward(previous);
        }

        using (hidden)
        {
            using var middle = mid.forward(hidden);
            using var normed = norm_out.forward(middle);
            using var activated = nn.functional.silu(normed);
            return conv_out.forward(activated);
        }
    }
}
