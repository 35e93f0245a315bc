using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Unet;

/// <summary>
/// LDM TimestepEmbedSequential: the entries of one <c>input_blocks.N</c>, <c>middle_block</c> or <c>output_blocks.N</c>,
/// registered as <c>0</c>, <c>1</c>, <c>2</c>. ResBlocks receive the timestep embedding, SpatialTransformers the
/// context, every other layer only the features.
/// </summary>
public sealed class UnetBlock : nn.Module
{
    // Not a Module-typed field, so RegisterComponents leaves it alone; the entries are registered by index.
    private readonly List<nn.Module> entries;

    public UnetBlock(params nn.Module[] entries)
        : base(nameof(UnetBlock))
    {
        if (entries.Length == 0)
        {
            throw new ArgumentException("A UNet block needs at least one layer.", nameof(entries));
        }

        this.entries = entries.ToList();
        for (var i = 0; i < entries.Length; i++)
        {
            register_module(i.ToString(System.Globalization.CultureInfo.InvariantCulture), entries[i]);
        }

        RegisterComponents();
    }

    public Tensor Forward(Tensor input, Tensor embedding, Tensor context)
    {
        Tensor? current = null;
        foreach (var entry in entries)
        {
            var source = current ?? input;
            var next = entry switch
            {
                ResBlock resBlock => resBlock.forward(source, embedding),
                SpatialTransformer transformer => transformer.forward(source, context),
                nn.Module<Tensor, Tensor> layer => layer.forward(source),
                _ => throw new InvalidOperationException($"UNet block entry {entry.GetName()} has no supported forward."),
            };
            current?.Dispose();
            current = next;
        }

        return current!;
    }
}
