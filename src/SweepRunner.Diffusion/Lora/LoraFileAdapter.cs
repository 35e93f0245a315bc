using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Lora;

/// <summary>
/// A LoRA module read from a file, applied as sd-scripts' networks/lora.py does: delta = up(down(x)) · (alpha / dim) ·
/// multiplier. Linear slots use matrices; conv slots use down as a conv with the slot's kernel, stride and padding and
/// up as a 1×1 conv. The adapter owns its two tensors (in the slot's dtype and device).
/// </summary>
public sealed class LoraFileAdapter : ILoraAdapter, IDisposable
{
    readonly LoraSlot _slot;

    /// <param name="down">[rank, in] for Linear, [rank, in, k, k] for convs.</param>
    /// <param name="up">[out, rank] for Linear, [out, rank, 1, 1] for convs.</param>
    public LoraFileAdapter(LoraSlot slot, Tensor down, Tensor up, double alpha, double multiplier)
    {
        ArgumentNullException.ThrowIfNull(slot);
        ArgumentNullException.ThrowIfNull(down);
        ArgumentNullException.ThrowIfNull(up);
        _slot = slot;
        Down = down;
        Up = up;
        Rank = down.shape[0];
        Alpha = alpha;
        Multiplier = multiplier;
    }

    public Tensor Down { get; }

    public Tensor Up { get; }

    public long Rank { get; }

    public double Alpha { get; }

    public double Multiplier { get; }

    /// <summary>(alpha / dim) · multiplier.</summary>
    public double Scale => Alpha / Rank * Multiplier;

    public Tensor Forward(Tensor input)
    {
        if (_slot.Kind == LoraSlotKind.Linear)
        {
            using var low = nn.functional.linear(input, Down);
            using var high = nn.functional.linear(low, Up);
            return high * Scale;
        }

        using var lowConv = nn.functional.conv2d(input, Down, null, [_slot.Stride, _slot.Stride], [_slot.Padding, _slot.Padding]);
        using var highConv = nn.functional.conv2d(lowConv, Up);
        return highConv * Scale;
    }

    public void Dispose()
    {
        Down.Dispose();
        Up.Dispose();
    }
}
