namespace SweepRunner.Diffusion.Unet;

/// <summary>Shape of the LDM UNetModel (SD1.x layout: ResBlocks, SpatialTransformers with 1×1 proj_in/proj_out).</summary>
public sealed record UnetConfig(
    int InChannels,
    int OutChannels,
    IReadOnlyList<int> BlockChannels,
    int LayersPerBlock,
    IReadOnlyList<bool> AttentionLevels,
    int Heads,
    int ContextDim,
    int NormGroups,
    double NormEps,
    double TransformerNormEps,
    int TransformerDepth)
{
    /// <summary>Stable Diffusion 1.5: 320/640/1280/1280, 2 res blocks per level, 8 heads, context 768.</summary>
    public static UnetConfig Sd15 { get; } = new(
        InChannels: 4,
        OutChannels: 4,
        BlockChannels: new[] { 320, 640, 1280, 1280 },
        LayersPerBlock: 2,
        AttentionLevels: new[] { true, true, true, false },
        Heads: 8,
        ContextDim: 768,
        NormGroups: 32,
        NormEps: 1e-5,
        TransformerNormEps: 1e-6,
        TransformerDepth: 1);

    /// <summary>A small UNet for tests and the demo model: same topology, few channels, one res block per level.</summary>
    public static UnetConfig Tiny { get; } = new(
        InChannels: 4,
        OutChannels: 4,
        BlockChannels: new[] { 32, 64, 64, 64 },
        LayersPerBlock: 1,
        AttentionLevels: new[] { true, true, true, false },
        Heads: 2,
        ContextDim: 64,
        NormGroups: 8,
        NormEps: 1e-5,
        TransformerNormEps: 1e-6,
        TransformerDepth: 1);

    /// <summary>Width of the timestep embedding MLP (4 × the first block's channels: 1280 for SD1.5).</summary>
    public int TimeEmbedDim => 4 * BlockChannels[0];

    /// <summary>Latent sides must be divisible by this (2 per downsampling level).</summary>
    public int SizeDivisor => 1 << (BlockChannels.Count - 1);

    /// <summary>Throws when the numbers cannot build a model.</summary>
    public void Validate()
    {
        if (BlockChannels.Count == 0 || BlockChannels.Count != AttentionLevels.Count)
        {
            throw new ArgumentException($"UNet config: {BlockChannels.Count} block channel entries but {AttentionLevels.Count} attention flags; give one of each per level.");
        }

        if (InChannels <= 0 || OutChannels <= 0 || LayersPerBlock <= 0 || Heads <= 0 || ContextDim <= 0 || NormGroups <= 0 || TransformerDepth <= 0)
        {
            throw new ArgumentException("UNet config: channel counts, layers, heads, context dim, norm groups and depth must be positive.");
        }

        foreach (var channels in BlockChannels)
        {
            if (channels <= 0 || channels % NormGroups != 0)
            {
                throw new ArgumentException($"UNet config: block channels {channels} must be positive and divisible by {NormGroups} norm groups.");
            }

            if (channels % Heads != 0)
            {
                throw new ArgumentException($"UNet config: block channels {channels} are not divisible by {Heads} heads.");
            }
        }
    }
}
