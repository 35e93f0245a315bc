using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Model;

/// <summary>Where and in which precision to load a base model.</summary>
/// <param name="Device">The device (CPU when null).</param>
/// <param name="Dtype">Weights of the text encoder and UNet (float32 on CPU; float16 or bfloat16 for frozen weights on CUDA).</param>
/// <param name="VaeDtype">Weights of the VAE; <paramref name="Dtype"/> when null.</param>
public sealed record ModelLoadOptions(Device? Device = null, ScalarType Dtype = ScalarType.Float32, ScalarType? VaeDtype = null)
{
    /// <summary>float32 on the CPU.</summary>
    public static ModelLoadOptions Cpu { get; } = new();
}
