using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Lora;

/// <summary>
/// One kohya LoRA module (sd-scripts networks/lora.py LoRAModule): delta = up(down(x)) · multiplier · alpha / dim.
/// Linear slots get Linear down/up; conv slots get a down conv with the slot's kernel, stride and padding and a 1×1
/// up conv. Weights are fp32 parameters of their own; the slot's frozen layer may run in another dtype, and the
/// delta is computed in the weights' dtype.
/// </summary>
public sealed class LoraModule : ILoraAdapter, IDisposable
{
    private readonly long[] _strides;
    private readonly long[] _paddings;

    internal LoraModule(LoraSlot slot, int dim, double alpha, double? dropout, Device device, Generator? initGenerator)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dim, 1);
        Slot = slot;
        Dim = dim;
        Alpha = alpha == 0 ? dim : alpha;
        Dropout = dropout is > 0 ? dropout : null;
        _strides = [slot.Stride, slot.Stride];
        _paddings = [slot.Padding, slot.Padding];
        var isConv = slot.Kind != LoraSlotKind.Linear;
        long[] downShape = isConv ? [dim, slot.InFeatures, slot.KernelSize, slot.KernelSize] : [dim, slot.InFeatures];
        long[] upShape = isConv ? [slot.OutFeatures, dim, 1, 1] : [slot.OutFeatures, dim];
        Down = NewParameter(downShape, device);
        Up = NewParameter(upShape, device);
        if (device.type != DeviceType.META)
        {
            using var _ = no_grad();
            // kaiming_uniform_(a = √5): bound = √(2 / (1 + a²)) · √(3 / fan_in) = 1 / √fan_in.
            var fanIn = downShape.Skip(1).Aggregate(1L, (a, b) => a * b);
            var bound = 1.0 / Math.Sqrt(fanIn);
            Down.uniform_(-bound, bound, initGenerator);
            Up.zero_();
        }
    }

    public LoraSlot Slot { get; }

    /// <summary>kohya's module name, e.g. <c>lora_unet_mid_block_attentions_0_proj_in</c>.</summary>
    public string Name => Slot.KohyaName;

    public int Dim { get; }

    /// <summary>The alpha written to the file (alpha 0 reads as dim).</summary>
    public double Alpha { get; }

    public double Scale => Alpha / Dim;

    /// <summary>network_dropout: dropout on the down projection's output while training; null when off.</summary>
    public double? Dropout { get; }

    public double Multiplier { get; set; } = 1.0;

    /// <summary>Dropout is applied only while training.</summary>
    public bool Training { get; set; }

    /// <summary>Generator for dropout masks; null uses torch's default generator.</summary>
    public Generator? DropoutGenerator { get; set; }

    /// <summary>[dim, in] for Linear, [dim, in, k, k] for convs.</summary>
    public Parameter Down { get; }

    /// <summary>[out, dim] for Linear, [out, dim, 1, 1] for convs.</summary>
    public Parameter Up { get; }

    public Tensor Forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = input.dtype == Down.dtype ? input : input.to_type(Down.dtype);
        var isConv = Slot.Kind != LoraSlotKind.Linear;
        var hidden = isConv ? nn.functional.conv2d(x, Down, null, _strides, _paddings) : nn.functional.linear(x, Down);
        if (Training && Dropout is { } p)
        {
            var keep = rand(hidden.shape, hidden.dtype, hidden.device, generator: DropoutGenerator).ge(p);
            hidden = hidden * keep / (1 - p);
        }
        var delta = isConv ? nn.functional.conv2d(hidden, Up) : nn.functional.linear(hidden, Up);
        return (delta * (Multiplier * Scale)).MoveToOuterDisposeScope();
    }

    static Parameter NewParameter(long[] shape, Device device)
    {
        var parameter = new Parameter(empty(shape, ScalarType.Float32, device), requires_grad: true);
        parameter.DetachFromDisposeScope();
        return parameter;
    }

    public void Dispose()
    {
        Down.Dispose();
        Up.Dispose();
    }
}
