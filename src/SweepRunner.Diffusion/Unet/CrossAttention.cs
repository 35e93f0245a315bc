using SweepRunner.Diffusion.Lora;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Unet;

/// <summary>
/// Multi-head attention with bias-free to_q/to_k/to_v and a biased <c>to_out.0</c>; self-attention (attn1) when no
/// context is given, cross-attention (attn2) otherwise. Computed with scaled_dot_product_attention.
/// </summary>
public sealed class CrossAttention : nn.Module<Tensor, Tensor?, Tensor>
{
    private readonly LoraLinear to_q;
    private readonly LoraLinear to_k;
    private readonly LoraLinear to_v;
    private readonly nn.Module<Tensor, Tensor> to_out;
    private readonly long heads;

    public CrossAttention(string slotPath, long queryDim, long contextDim, long heads, Device? device, ScalarType? dtype)
        : base(nameof(CrossAttention))
    {
        this.heads = heads;
        to_q = new LoraLinear($"{slotPath}.to_q", LoraTargets.UnetTransformer, queryDim, queryDim, hasBias: false, device, dtype);
        to_k = new LoraLinear($"{slotPath}.to_k", LoraTargets.UnetTransformer, contextDim, queryDim, hasBias: false, device, dtype);
        to_v = new LoraLinear($"{slotPath}.to_v", LoraTargets.UnetTransformer, contextDim, queryDim, hasBias: false, device, dtype);
        // Every Module field is registered under its name, so the projection lives only inside the container.
        to_out = nn.Sequential(("0", new LoraLinear($"{slotPath}.to_out.0", LoraTargets.UnetTransformer, queryDim, queryDim, hasBias: true, device, dtype)));
        RegisterComponents();
    }

    /// <summary>[B, N, dim] (and context [B, M, contextDim] or null for self-attention) → [B, N, dim].</summary>
    public override Tensor forward(Tensor hidden, Tensor? context)
    {
        var source = context ?? hidden;
        var batch = hidden.shape[0];
        var queries = hidden.shape[1];
        var dim = hidden.shape[2];
        using var q = SplitHeads(to_q.forward(hidden), batch, dim);
        using var k = SplitHeads(to_k.forward(source), batch, dim);
        using var v = SplitHeads(to_v.forward(source), batch, dim);
        using var attended = nn.functional.scaled_dot_product_attention(q, k, v);
        using var merged = attended.transpose(1, 2).reshape(batch, queries, dim);
        return to_out.forward(merged);
    }

    Tensor SplitHeads(Tensor projected, long batch, long dim)
    {
        using (projected)
        {
            return projected.view(batch, -1, heads, dim / heads).transpose(1, 2);
        }
    }
}
