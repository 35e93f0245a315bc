using static TorchSharp.torch;

namespace SweepRunner.Diffusion.ImageEncoders;

/// <summary>An image encoder whose embeddings score previews (CLIP's image tower, DINOv2).</summary>
public interface IImageEmbedder
{
    /// <summary>SHA-256 of the model's weights file: scores of different models are never mixed.</summary>
    string ModelSha256 { get; }

    /// <summary>One L2-normalised embedding per image file, in order.</summary>
    IReadOnlyList<float[]> EmbedImages(IReadOnlyList<string> imagePaths);
}

/// <summary>An encoder of prompts into the image embeddings' space (CLIP's text tower).</summary>
public interface ITextEmbedder
{
    /// <summary>One L2-normalised embedding per text, in order.</summary>
    IReadOnlyList<float[]> EmbedTexts(IReadOnlyList<string> texts);
}

internal static class Embeddings
{
    /// <summary>Each row of <paramref name="embeddings"/> [B, D] divided by its L2 norm, as float arrays.</summary>
    public static IReadOnlyList<float[]> Normalised(Tensor embeddings)
    {
        using var norms = embeddings.norm(1, keepdim: true);
        using var normalised = embeddings / norms;
        using var host = normalised.cpu().to_type(ScalarType.Float32);
        var flat = host.data<float>().ToArray();
        var width = (int)host.shape[1];
        return Enumerable.Range(0, (int)host.shape[0]).Select(i => flat.AsSpan(i * width, width).ToArray()).ToList();
    }
}
