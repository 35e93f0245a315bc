namespace SweepRunner.Diffusion.Vae;

/// <summary>Shape of the LDM AutoencoderKL (KL-f8 for SD1.5).</summary>
public sealed record VaeConfig(
    int ImageChannels,
    int LatentChannels,
    IReadOnlyList<int> BlockChannels,
    int LayersPerBlock,
    int NormGroups,
    double NormEps,
    double ScalingFactor)
{
    /// <summary>SD1.x latent scaling: latents fed to the UNet are encoder means × 0.18215.</summary>
    public const double Sd15ScalingFactor = 0.18215;

    /// <summary>The SD1.5 VAE: 128/256/512/512 channels, 2 res blocks per level, 4 latent channels, factor 8.</summary>
    public static VaeConfig Sd15 { get; } = new(
        ImageChannels: 3,
        LatentChannels: 4,
        BlockChannels: new[] { 128, 256, 512, 512 },
        LayersPerBlock: 2,
        NormGroups: 32,
        NormEps: 1e-6,
        ScalingFactor: Sd15ScalingFactor);

    /// <summary>A small VAE for tests and the demo model: same topology and factor 8, few channels.</summary>
    public static VaeConfig Tiny { get; } = new(
        ImageChannels: 3,
        LatentChannels: 4,
        BlockChannels: new[] { 16, 32, 32, 32 },
        LayersPerBlock: 1,
        NormGroups: 8,
        NormEps: 1e-6,
        ScalingFactor: Sd15ScalingFactor);

    /// <summary>Image side ÷ latent side (2 per downsampling level: 8 for four levels).</summary>
    public int DownsamplingFactor => 1 << (BlockChannels.Count - 1);

    /// <summary>Throws when the numbers cannot build a model.</summary>
    public void Validate()
    {
        if (BlockChannels.Count == 0 || ImageChannels <= 0 || LatentChannels <= 0 || LayersPerBlock <= 0 || NormGroups <= 0)
        {
            throw new ArgumentException("VAE config: block channels, image and latent channels, layers and norm groups must be positive.");
        }

        foreach (var channels in BlockChannels)
        {
            if (channels <= 0 || channels % NormGroups != 0)
            {
                throw new ArgumentException($"VAE config: block channels {channels} must be positive and divisible by {NormGroups} norm groups.");
            }
        }
    }
}
