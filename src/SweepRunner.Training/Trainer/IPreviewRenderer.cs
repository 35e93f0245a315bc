using SweepRunner.Diffusion.Pipeline;
using SweepRunner.Diffusion.Previews;

namespace SweepRunner.Training.Trainer;

/// <summary>Renders one preview with the model as it is now (LoRA attached).</summary>
public interface IPreviewRenderer
{
    /// <summary>The image <paramref name="request"/> describes.</summary>
    RgbImage Render(ImageRequest request, CancellationToken cancellation);
}
