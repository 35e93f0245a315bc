namespace SweepRunner.Diffusion.TextEncoder;

/// <summary>Shape of a CLIP text transformer (Hugging Face CLIPTextModel layout, causal attention).</summary>
/// <param name="QuickGelu">The MLP's activation: quick_gelu x·σ(1.702x) as OpenAI's CLIP (and SD 1.x) has it, or the exact gelu.</param>
public sealed record ClipTextConfig(
    int VocabSize,
    int Width,
    int Layers,
    int Heads,
    int MlpDim,
    int MaxPositions,
    double LayerNormEps,
    bool QuickGelu = true)
{
    /// <summary>CLIP ViT-L/14 text encoder, as used by Stable Diffusion 1.x.</summary>
    public static ClipTextConfig Sd15 { get; } = new(
        VocabSize: 49408, Width: 768, Layers: 12, Heads: 12, MlpDim: 3072, MaxPositions: 77, LayerNormEps: 1e-5);

    /// <summary>A small encoder for tests and the demo model: same code, few parameters.</summary>
    public static ClipTextConfig Tiny { get; } = new(
        VocabSize: 1000, Width: 64, Layers: 2, Heads: 2, MlpDim: 128, MaxPositions: 77, LayerNormEps: 1e-5);

    /// <summary>Throws when the numbers cannot build a model.</summary>
    public void Validate()
    {
        if (VocabSize <= 0 || Width <= 0 || Layers <= 0 || Heads <= 0 || MlpDim <= 0 || MaxPositions <= 0)
        {
            throw new ArgumentException($"Text encoder config {this}: every size must be positive.");
        }

        if (Width % Heads != 0)
        {
            throw new ArgumentException($"Text encoder config: width {Width} is not divisible by {Heads} heads.");
        }
    }
}
