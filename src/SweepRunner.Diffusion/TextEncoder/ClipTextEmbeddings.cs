using SweepRunner.Diffusion.Modules;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.TextEncoder;

/// <summary>Token plus learned position embeddings (<c>embeddings.token_embedding</c>, <c>embeddings.position_embedding</c>).</summary>
public sealed class ClipTextEmbeddings : nn.Module<Tensor, Tensor>
{
    private readonly EmbeddingTable token_embedding;
    private readonly EmbeddingTable position_embedding;

    public ClipTextEmbeddings(ClipTextConfig config, Device? device, ScalarType? dtype)
        : base(nameof(ClipTextEmbeddings))
    {
        token_embedding = new EmbeddingTable(config.VocabSize, config.Width, device, dtype);
        position_embedding = new EmbeddingTable(config.MaxPositions, config.Width, device, dtype);
        RegisterComponents();
    }

    /// <summary>Token ids [B, T] (T ≤ max positions) → [B, T, width]; positions are 0..T-1.</summary>
    public override Tensor forward(Tensor tokenIds)
    {
        var length = tokenIds.shape[1];
        if (length > position_embedding.Count)
        {
            throw new ArgumentException($"Token sequence has {length} positions; the text encoder has {position_embedding.Count}.", nameof(tokenIds));
        }

        using var tokens = token_embedding.forward(tokenIds);
        using var positions = position_embedding.Rows(length);
        return tokens + positions;
    }
}
