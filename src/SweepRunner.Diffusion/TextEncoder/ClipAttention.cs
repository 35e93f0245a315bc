using SweepRunner.Diffusion.Lora;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.TextEncoder;

/// <summary>Causal multi-head self-attention with biased q/k/v/out projections (<c>self_attn.*</c>).</summary>
public sealed class ClipAttention : nn.Module<Tensor, Tensor>
{
    private readonly LoraLinear q_proj;
    private readonly LoraLinear k_proj;
    private readonly LoraLinear v_proj;
    private readonly LoraLinear out_proj;
    private readonly long heads;

    public ClipAttention(string slotPath, ClipTextConfig config, Device? device, ScalarType? dtype)
        : base(nameof(ClipAttention))
    {
        heads = config.Heads;
        q_proj = Projection(slotPath, "q_proj", config, device, dtype);
        k_proj = Projection(slotPath, "k_proj", config, device, dtype);
        v_proj = Projection(slotPath, "v_proj", config, device, dtype);
        out_proj = Projection(slotPath, "out_proj", config, device, dtype);
        RegisterComponents();
    }

    static LoraLinear Projection(string slotPath, string name, ClipTextConfig config, Device? device, ScalarType? dtype) =>
        new($"{slotPath}.{name}", LoraTargets.TextEncoder, config.Width, config.Width, hasBias: true, device, dtype);

    /// <summary>[B, T, width] → [B, T, width], each token attending to itself and earlier tokens.</summary>
    public override Tensor forward(Tensor hidden)
    {
        var batch = hidden.shape[0];
        var tokens = hidden.shape[1];
        var width = hidden.shape[2];
        var headDim = width / heads;
        using var q = SplitHeads(q_proj.forward(hidden), batch, tokens, headDim);
        using var k = SplitHeads(k_proj.forward(hidden), batch, tokens, headDim);
        using var v = SplitHeads(v_proj.forward(hidden), batch, tokens, headDim);
        using var attended = nn.functional.scaled_dot_product_attention(q, k, v, is_casual: true);
        using var merged = attended.transpose(1, 2).reshape(batch, tokens, width);
        return out_proj.forward(merged);
    }

    Tensor SplitHeads(Tensor projected, long batch, long tokens, long headDim)
    {
        using (projected)
        {
            return projected.view(batch, tokens, heads, headDim).transpose(1, 2);
        }
    }
}
