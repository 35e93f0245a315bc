using SweepRunner.Core.Previews;
using SweepRunner.Diffusion.Previews;

namespace SweepRunner.Training.Trainer;

/// <summary>Renders one preview prompt with the model as it is now (LoRA attached).</summary>
public interface IPreviewRenderer
{
    /// <summary>The image for <paramref name="prompt"/> with <paramref name="seed"/>; <paramref name="sampler"/> is an sd-scripts sampler name.</summary>
    RgbImage Render(SamplePrompt prompt, long seed, string sampler, CancellationToken cancellation);

    /// <summary>AUTOMATIC1111's display name of <paramref name="sampler"/> ("DDIM", "Euler a").</summary>
    string DisplayName(string sampler);
}
