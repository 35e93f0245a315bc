using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Modules;

/// <summary>A lookup table with one parameter, <c>weight</c> [count, dim]; initialised normal(0, 0.02) as CLIP does.</summary>
public sealed class EmbeddingTable : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;

    public EmbeddingTable(long count, long dim, Device? device = null, ScalarType? dtype = null)
        : base(nameof(EmbeddingTable))
    {
        Count = count;
        Dim = dim;
        weight = ParameterInit.Create(new[] { count, dim }, device, dtype);
        nn.init.normal_(weight, 0.0, 0.02);
        RegisterComponents();
    }

    public long Count { get; }

    public long Dim { get; }

    public Parameter Weight => weight;

    /// <summary>Looks up the rows for integer <paramref name="indices"/> of any shape; returns [..., dim].</summary>
    public override Tensor forward(Tensor indices)
    {
        using var flat = indices.reshape(-1);
        using var rows = weight.index_select(0, flat);
        var shape = indices.shape.Append(Dim).ToArray();
        return rows.reshape(shape);
    }

    /// <summary>The first <paramref name="length"/> rows, [length, dim] (position embeddings for a prefix).</summary>
    public Tensor Rows(long length) => weight.narrow(0, 0, length);
}
