using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Lora;

internal static class SlotOutput
{
    /// <summary>Returns <paramref name="output"/> plus the adapter's delta, in the output's dtype; disposes the temporaries.</summary>
    public static Tensor AddDelta(Tensor output, ILoraAdapter adapter, Tensor input)
    {
        using var frozen = output;
        using var delta = adapter.Forward(input);
        if (delta.dtype == frozen.dtype)
        {
            return frozen + delta;
        }

        using var converted = delta.to(frozen.dtype);
        return frozen + converted;
    }
}
