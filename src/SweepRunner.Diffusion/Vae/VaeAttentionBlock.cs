using SweepRunner.Diffusion.Modules;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Vae;

/// <summary>
/// Single-head spatial self-attention <c>attn_1</c>: GroupNorm, 1×1 conv <c>q</c>/<c>k</c>/<c>v</c> (stored [C, C, 1, 1]),
/// attention over H·W positions, 1×1 conv <c>proj_out</c>, residual.
/// </summary>
public sealed class VaeAttentionBlock : nn.Module<Tensor, Tensor>
{
    private readonly GroupNorm norm;
    private readonly Conv2d q;
    private readonly Conv2d k;
    private readonly Conv2d v;
    private readonly Conv2d proj_out;

    public VaeAttentionBlock(long channels, VaeConfig config, Device? device, ScalarType? dtype)
        : base(nameof(VaeAttentionBlock))
    {
        norm = Normalization.GroupNorm(config.NormGroups, channels, config.NormEps, device, dtype);
        q = nn.Conv2d(channels, channels, 1, device: device, dtype: dtype);
        k = nn.Conv2d(channels, channels, 1, device: device, dtype: dtype);
        v = nn.Conv2d(channels, channels, 1, device: device, dtype: dtype);
        proj_out = nn.Conv2d(channels, channels, 1, device: device, dtype: dtype);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        var batch = input.shape[0];
        var channels = input.shape[1];
        var height = input.shape[2];
        var width = input.shape[3];
        using var normed = norm.forward(input);
        using var query = Tokens(q.forward(normed), batch, channels);
        using var key = Tokens(k.forward(normed), batch, channels);
        using var value = Tokens(v.forward(normed), batch, channels);
        using var attended = nn.functional.scaled_dot_product_attention(query, key, value);
        using var spatial = attended.squeeze(1).transpose(1, 2).reshape(batch, channels, height, width);
        using var projected = proj_out.forward(spatial);
        return input + projected;
    }

    // [B, C, H, W] → [B, 1, H·W, C]: one head whose queries are the spatial positions.
    static Tensor Tokens(Tensor features, long batch, long channels)
    {
        using (features)
        {
            return features.reshape(batch, channels, -1).transpose(1, 2).unsqueeze(1);
        }
    }
}
