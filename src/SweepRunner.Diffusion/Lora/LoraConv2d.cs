using SweepRunner.Diffusion.Modules;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Lora;

/// <summary>A square-kernel Conv2d layer (parameters <c>weight</c>, <c>bias</c>) that a LoRA adapter can attach to.</summary>
public sealed class LoraConv2d : nn.Module<Tensor, Tensor>, ILoraSlotLayer
{
    // Field names are the state-dict names; Module.to() finds the parameters through them.
    // Module.to() replaces these fields through reflection, so they stay assignable.
#pragma warning disable IDE0044
    private Parameter weight;
    private Parameter? bias;
#pragma warning restore IDE0044
    private ILoraAdapter? adapter;
    private readonly long[] strides;
    private readonly long[] paddings;

    public LoraConv2d(
        string slotPath, LoraTargets group, long inChannels, long outChannels, int kernelSize, int stride = 1, int padding = 0,
        bool hasBias = true, Device? device = null, ScalarType? dtype = null)
        : base(nameof(LoraConv2d))
    {
        if (kernelSize != 1 && kernelSize != 3)
        {
            throw new ArgumentOutOfRangeException(nameof(kernelSize), kernelSize, "LoRA slot convolutions have 1×1 or 3×3 kernels.");
        }

        SlotPath = slotPath;
        Group = group;
        InFeatures = inChannels;
        OutFeatures = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        strides = new long[] { stride, stride };
        paddings = new long[] { padding, padding };
        (weight, bias) = ParameterInit.LinearOrConv(new[] { outChannels, inChannels, kernelSize, kernelSize }, hasBias, device, dtype);
        RegisterComponents();
    }

    public string SlotPath { get; }

    public LoraTargets Group { get; }

    public LoraSlotKind Kind => KernelSize == 1 ? LoraSlotKind.Conv1x1 : LoraSlotKind.Conv3x3;

    public long InFeatures { get; }

    public long OutFeatures { get; }

    public int KernelSize { get; }

    public int Stride { get; }

    public int Padding { get; }

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
        var output = nn.functional.conv2d(input, weight, bias, strides, paddings);
        return adapter is null ? output : SlotOutput.AddDelta(output, adapter, input);
    }
}
