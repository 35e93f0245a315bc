using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.ImageEncoders;

/// <summary>The projections of multi-head self-attention over all tokens (no causal mask), under the names a layout gives them.</summary>
internal static class VitAttention
{
    public static Tensor Attend(Tensor hidden, Linear q, Linear k, Linear v, long heads)
    {
        var (batch, tokens, width) = (hidden.shape[0], hidden.shape[1], hidden.shape[2]);
        Tensor Split(Tensor x) => x.view(batch, tokens, heads, width / heads).transpose(1, 2);
        using var qs = Split(q.forward(hidden));
        using var ks = Split(k.forward(hidden));
        using var vs = Split(v.forward(hidden));
        using var attended = nn.functional.scaled_dot_product_attention(qs, ks, vs);
        return attended.transpose(1, 2).reshape(batch, tokens, width);
    }

    /// <summary>quick_gelu x·σ(1.702x) (OpenAI CLIP) or the exact erf gelu.</summary>
    public static Tensor Activate(Tensor x, bool quickGelu) => quickGelu ? x * (x * 1.702).sigmoid() : nn.functional.gelu(x);
}

/// <summary><c>mlp.fc1</c> → activation → <c>mlp.fc2</c>.</summary>
internal sealed class VitMlp : nn.Module<Tensor, Tensor>
{
    private readonly Linear fc1;
    private readonly Linear fc2;
    private readonly bool _quickGelu;

    public VitMlp(VitConfig config) : base(nameof(VitMlp))
    {
        fc1 = nn.Linear(config.Hidden, config.MlpDim);
        fc2 = nn.Linear(config.MlpDim, config.Hidden);
        _quickGelu = config.QuickGelu;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var expanded = fc1.forward(x);
        using var activated = VitAttention.Activate(expanded, _quickGelu);
        return fc2.forward(activated);
    }
}
