using SweepRunner.Diffusion.Model;
using SweepRunner.Diffusion.Pipeline;
using SweepRunner.Diffusion.Previews;
using SweepRunner.Diffusion.Tokenizer;

namespace SweepRunner.Training.Trainer;

/// <summary>
/// Previews through <see cref="ImageGenerator"/>, the pipeline <c>sweeprunner sample</c> uses, so a preview and
/// <c>sample</c> with the saved LoRA, prompt, seed, size, steps and sampler give the same pixels.
/// </summary>
public sealed class DiffusionPreviewRenderer(StableDiffusionModel model, ClipTokenizer tokenizer) : IPreviewRenderer
{
    readonly ImageGenerator _generator = new(model, tokenizer);

    public RgbImage Render(ImageRequest request, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _generator.Generate(request with { Cancellation = cancellation });
    }
}
