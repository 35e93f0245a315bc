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
    /// <summary>Image files through <paramref name="preprocessor"/> and <paramref name="network"/>, <paramref name="batchSize"/> at a time, each batch in its own dispose scope.</summary>
    public static IReadOnlyList<float[]> OfImages(IReadOnlyList<string> paths, ImagePreprocessor preprocessor, Device device, int batchSize, Func<Tensor, Tensor> network)
    {
        var result = new List<float[]>(paths.Count);
        foreach (var batch in paths.Chunk(batchSize))
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            using var pixels = stack(batch.Select(preprocessor.Load).ToArray()).to(device);
            result.AddRange(Normalised(network(pixels)));
        }

        return result;
    }

    /// <summary>The layers one after another, each intermediate result disposed as soon as the next exists.</summary>
    public static Tensor ThroughLayers<TLayer>(IEnumerable<TLayer> layers, Tensor hidden) where TLayer : nn.Module<Tensor, Tensor>
    {
        var current = hidden.alias();
        foreach (var layer in layers)
        {
            var next = layer.forward(current);
            current.Dispose();
            current = next;
        }

        return current;
    }

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
