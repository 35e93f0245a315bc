using SweepRunner.Diffusion.Lora;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.TextEncoder;

/// <summary>fc1 → quick_gelu (x·σ(1.702x)), or gelu where the config says so → fc2 (<c>mlp.*</c>).</summary>
public sealed class ClipMlp : nn.Module<Tensor, Tensor>
{
    private readonly LoraLinear fc1;
    private readonly LoraLinear fc2;
    private readonly bool quickGelu;

    public ClipMlp(string slotPath, ClipTextConfig config, Device? device, ScalarType? dtype)
        : base(nameof(ClipMlp))
    {
        fc1 = new LoraLinear($"{slotPath}.fc1", LoraTargets.TextEncoder, config.Width, config.MlpDim, hasBias: true, device, dtype);
        fc2 = new LoraLinear($"{slotPath}.fc2", LoraTargets.TextEncoder, config.MlpDim, config.Width, hasBias: true, device, dtype);
        quickGelu = config.QuickGelu;
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden)
    {
        using var expanded = fc1.forward(hidden);
        if (!quickGelu)
        {
            using var gelu = nn.functional.gelu(expanded);
            return fc2.forward(gelu);
        }

        using var scaled = expanded * 1.702;
        using var gate = scaled.sigmoid();
        using var activated = expanded * gate;
        return fc2.forward(activated);
    }
}
