using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Vae;

/// <summary>One encoder level <c>down.N</c>: res blocks <c>block.M</c>, then <c>downsample</c> except at the last level.</summary>
public sealed class VaeDownLevel : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<VaeResnetBlock> block;
    private readonly VaeDownsample? downsample;

    public VaeDownLevel(long inChannels, long outChannels, bool downsamples, VaeConfig config, Device? device, ScalarType? dtype)
        : base(nameof(VaeDownLevel))
    {
        block = new ModuleList<VaeResnetBlock>(
            Enumerable.Range(0, config.LayersPerBlock)
                .Select(i => new VaeResnetBlock(i == 0 ? inChannels : outChannels, outChannels, config, device, dtype))
                .ToArray());
        if (downsamples)
        {
            downsample = new VaeDownsample(outChannels, device, dtype);
        }

        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => VaeChain.Run(input, block, downsample);
}

/// <summary>One decoder level <c>up.N</c>: res blocks <c>block.M</c> (one more than the encoder), then <c>upsample</c> except at level 0.</summary>
public sealed class VaeUpLevel : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<VaeResnetBlock> block;
    private readonly VaeUpsample? upsample;

    public VaeUpLevel(long inChannels, long outChannels, bool upsamples, VaeConfig config, Device? device, ScalarType? dtype)
        : base(nameof(VaeUpLevel))
    {
        block = new ModuleList<VaeResnetBlock>(
            Enumerable.Range(0, config.LayersPerBlock + 1)
                .Select(i => new VaeResnetBlock(i == 0 ? inChannels : outChannels, outChannels, config, device, dtype))
                .ToArray());
        if (upsamples)
        {
            upsample = new VaeUpsample(outChannels, device, dtype);
        }

        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => VaeChain.Run(input, block, upsample);
}

/// <summary>The middle of encoder and decoder: <c>block_1</c>, <c>attn_1</c>, <c>block_2</c>.</summary>
public sealed class VaeMidBlock : nn.Module<Tensor, Tensor>
{
    private readonly VaeResnetBlock block_1;
    private readonly VaeAttentionBlock attn_1;
    private readonly VaeResnetBlock block_2;

    public VaeMidBlock(long channels, VaeConfig config, Device? device, ScalarType? dtype)
        : base(nameof(VaeMidBlock))
    {
        block_1 = new VaeResnetBlock(channels, channels, config, device, dtype);
        attn_1 = new VaeAttentionBlock(channels, config, device, dtype);
        block_2 = new VaeResnetBlock(channels, channels, config, device, dtype);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var first = block_1.forward(input);
        using var attended = attn_1.forward(first);
        return block_2.forward(attended);
    }
}

internal static class VaeChain
{
    /// <summary>Runs <paramref name="blocks"/> then the optional sampler, disposing intermediates.</summary>
    public static Tensor Run(Tensor input, IEnumerable<nn.Module<Tensor, Tensor>> blocks, nn.Module<Tensor, Tensor>? sampler)
    {
        Tensor? current = null;
        foreach (var layer in sampler is null ? blocks : blocks.Append(sampler))
        {
            var next = layer.forward(current ?? input);
            current?.Dispose();
            current = next;
        }

        return current ?? throw new InvalidOperationException("A VAE level needs at least one block.");
    }
}
