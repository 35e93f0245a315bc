using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Unet;

/// <summary>x += attn1(norm1(x)); x += attn2(norm2(x), context); x += ff(norm3(x)).</summary>
public sealed class BasicTransformerBlock : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly CrossAttention attn1;
    private readonly GegluFeedForward ff;
    private readonly CrossAttention attn2;
    private readonly LayerNorm norm1;
    private readonly LayerNorm norm2;
    private readonly LayerNorm norm3;

    public BasicTransformerBlock(string slotPath, long dim, long contextDim, long heads, Device? device, ScalarType? dtype)
        : base(nameof(BasicTransformerBlock))
    {
        attn1 = new CrossAttention($"{slotPath}.attn1", dim, dim, heads, device, dtype);
        ff = new GegluFeedForward($"{slotPath}.ff", dim, device, dtype);
        attn2 = new CrossAttention($"{slotPath}.attn2", dim, contextDim, heads, device, dtype);
        norm1 = nn.LayerNorm(dim, 1e-5, device: device, dtype: dtype);
        norm2 = nn.LayerNorm(dim, 1e-5, device: device, dtype: dtype);
        norm3 = nn.LayerNorm(dim, 1e-5, device: device, dtype: dtype);
        RegisterComponents();
    }

    /// <summary>Tokens [B, N, dim] and context [B, M, contextDim] → [B, N, dim].</summary>
    public override Tensor forward(Tensor hidden, Tensor context)
    {
        using var normed1 = norm1.forward(hidden);
        using var selfAttended = attn1.forward(normed1, null);
        using var afterSelf = hidden + selfAttended;
        using var normed2 = norm2.forward(afterSelf);
        using var crossAttended = attn2.forward(normed2, context);
        using var afterCross = afterSelf + crossAttended;
        using var normed3 = norm3.forward(afterCross);
        using var fed = ff.forward(normed3);
        return afterCross + fed;
    }
}
