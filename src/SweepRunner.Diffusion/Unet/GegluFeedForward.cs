using SweepRunner.Diffusion.Lora;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Unet;

/// <summary>The transformer feed-forward <c>ff</c>: <c>net.0</c> GEGLU (proj to 2 × 4·dim), <c>net.2</c> Linear back to dim.</summary>
public sealed class GegluFeedForward : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> net;

    public GegluFeedForward(string slotPath, long dim, Device? device, ScalarType? dtype)
        : base(nameof(GegluFeedForward))
    {
        var inner = 4 * dim;
        net = nn.Sequential(
            ("0", new Geglu($"{slotPath}.net.0.proj", dim, inner, device, dtype)),
            ("1", nn.Identity()),
            ("2", new LoraLinear($"{slotPath}.net.2", LoraTargets.UnetTransformer, inner, dim, hasBias: true, device, dtype)));
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden) => net.forward(hidden);
}

/// <summary>GEGLU: <c>proj</c> to 2·inner, split into value and gate, value · gelu(gate).</summary>
public sealed class Geglu : nn.Module<Tensor, Tensor>
{
    private readonly LoraLinear proj;

    public Geglu(string slotPath, long dim, long inner, Device? device, ScalarType? dtype)
        : base(nameof(Geglu))
    {
        proj = new LoraLinear(slotPath, LoraTargets.UnetTransformer, dim, 2 * inner, hasBias: true, device, dtype);
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden)
    {
        using var projected = proj.forward(hidden);
        var halves = projected.chunk(2, -1);
        using var value = halves[0];
        using var gate = halves[1];
        using var activated = nn.functional.gelu(gate);
        return value * activated;
    }
}
