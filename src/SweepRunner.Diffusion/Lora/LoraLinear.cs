using SweepRunner.Diffusion.Modules;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Lora;

/// <summary>A Linear layer (parameters <c>weight</c>, <c>bias</c>) that a LoRA adapter can attach to.</summary>
public sealed class LoraLinear : nn.Module<Tensor, Tensor>, ILoraSlotLayer
{
    // Field names are the state-dict names; Module.to() finds the parameters through them.
    // Module.to() replaces these fields through reflection, so they stay assignable.
#pragma warning disable IDE0044
    private Parameter weight;
    private Parameter? bias;
#pragma warning restore IDE0044
    private ILoraAdapter? adapter;

    public LoraLinear(string slotPath, LoraTargets group, long inFeatures, long outFeatures, bool hasBias, Device? device = null, ScalarType? dtype = null)
        : base(nameof(LoraLinear))
    {
        SlotPath = slotPath;
        Group = group;
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        (weight, bias) = ParameterInit.LinearOrConv(new[] { outFeatures, inFeatures }, hasBias, device, dtype);
        RegisterComponents();
    }

    public string SlotPath { get; }

    public LoraTargets Group { get; }

    public LoraSlotKind Kind => LoraSlotKind.Linear;

    public long InFeatures { get; }

    public long OutFeatures { get; }

    public int KernelSize => 1;

    public int Stride => 1;

    public int Padding => 0;

    public Parameter Weight => weight;

    public Parameter? Bias => bias;

    public ILoraAdapter? Adapter => adapter;

    public void Attach(ILoraAdapter adapter)
    {
        ArgumentNullException.ThrowIfNull(adapter);
        this.adapter = adapter;
    }

    public void Detach() => adapter = null;

    public override Tensor forward(Tensor input)
    {
        var output = nn.functional.linear(input, weight, bias);
        return adapter is null ? output : SlotOutput.AddDelta(output, adapter, input);
    }
}
