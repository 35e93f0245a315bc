using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Modules;

/// <summary>Normalisation layers initialised as PyTorch initialises them.</summary>
public static class Normalization
{
    /// <summary>
    /// GroupNorm with weight 1 and bias 0 (parameters <c>weight</c>, <c>bias</c>). TorchSharp 0.107's
    /// nn.GroupNorm leaves its affine parameters uninitialised, which gives NaNs in a freshly built model.
    /// </summary>
    public static GroupNorm GroupNorm(long groups, long channels, double eps, Device? device, ScalarType? dtype)
    {
        var norm = nn.GroupNorm(groups, channels, eps, affine: true, device: device, dtype: dtype);
        nn.init.ones_(norm.weight);
        nn.init.zeros_(norm.bias!);
        return norm;
    }
}
