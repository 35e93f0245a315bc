using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.TextEncoder;

/// <summary>Pre-norm transformer layer: x + attn(ln1(x)), then + mlp(ln2(x)) (<c>encoder.layers.N.*</c>).</summary>
public sealed class ClipEncoderLayer : nn.Module<Tensor, Tensor>
{
    private readonly LayerNorm layer_norm1;
    private readonly ClipAttention self_attn;
    private readonly LayerNorm layer_norm2;
    private readonly ClipMlp mlp;

    public ClipEncoderLayer(string slotPath, ClipTextConfig config, Device? device, ScalarType? dtype)
        : base(nameof(ClipEncoderLayer))
    {
        layer_norm1 = nn.LayerNorm(config.Width, config.LayerNormEps, device: device, dtype: dtype);
        self_attn = new ClipAttention($"{slotPath}.self_attn", config, device, dtype);
        layer_norm2 = nn.LayerNorm(config.Width, config.LayerNormEps, device: device, dtype: dtype);
        mlp = new ClipMlp($"{slotPath}.mlp", config, device, dtype);
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden)
    {
        using var normed1 = layer_norm1.forward(hidden);
        using var attended = self_attn.forward(normed1);
        using var afterAttention = hidden + attended;
        using var normed2 = layer_norm2.forward(afterAttention);
        using var transformed = mlp.forward(normed2);
        return afterAttention + transformed;
    }
}
