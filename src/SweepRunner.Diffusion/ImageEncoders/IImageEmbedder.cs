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
