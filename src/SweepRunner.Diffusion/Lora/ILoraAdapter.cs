using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Lora;

/// <summary>
/// A low-rank update attached to a <see cref="ILoraSlotLayer"/>. The slot adds the returned tensor to the
/// output of its frozen weight, so the adapter returns the scaled delta (for LoRA: up(down(x)) · scale).
/// </summary>
public interface ILoraAdapter
{
    /// <summary>
    /// Computes the delta for <paramref name="input"/>, the tensor the slot layer received. The result has the
    /// slot's output shape and is a new tensor owned by the caller.
    /// </summary>
    Tensor Forward(Tensor input);
}
