using SweepRunner.Core.Previews;
using SweepRunner.Diffusion.Model;
using SweepRunner.Diffusion.Sampling;

namespace SweepRunner.Diffusion.Pipeline;

/// <summary>One image to generate, with sd-scripts' preview defaults (30 steps, CFG 7.5, DDIM, 512×512).</summary>
/// <param name="Prompt">The prompt.</param>
/// <param name="NegativePrompt">The negative prompt (empty: the unconditional prompt).</param>
/// <param name="Steps">Sampling steps.</param>
/// <param name="GuidanceScale">Classifier-free guidance scale; 1 turns guidance off.</param>
/// <param name="Sampler">The sampler.</param>
/// <param name="Seed">Seed of the starting noise (non-negative).</param>
/// <param name="Width">Image width in pixels.</param>
/// <param name="Height">Image height in pixels.</param>
/// <param name="ClipSkip">clip_skip (1 = last text encoder layer).</param>
public sealed record ImageRequest(
    string Prompt,
    string NegativePrompt = "",
    int Steps = 30,
    double GuidanceScale = 7.5,
    SamplerKind Sampler = SamplerKind.Ddim,
    long Seed = 42,
    int Width = 512,
    int Height = 512,
    int ClipSkip = 1)
{
    /// <summary>Called after each sampling step with (steps done, total steps).</summary>
    public Action<int, int>? OnStep { get; init; }

    /// <summary>Checked before each sampling step.</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>
    /// The request of a preview prompt (sd-scripts' prompt file line): its size, steps, CFG scale and negative prompt
    /// (none: empty, as sd-scripts and AUTOMATIC1111 treat it), with <paramref name="seed"/>, <paramref name="sampler"/>
    /// (an sd-scripts name) and the run's <paramref name="clipSkip"/>.
    /// </summary>
    /// <exception cref="NotSupportedException">A sampler SweepRunner does not implement.</exception>
    public static ImageRequest ForSamplePrompt(SamplePrompt prompt, long seed, string sampler, int clipSkip)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        return new ImageRequest(prompt.Prompt, prompt.NegativePrompt ?? "", prompt.Steps, prompt.GuidanceScale, Samplers.Parse(sampler), seed,
            prompt.Width, prompt.Height, clipSkip);
    }

    /// <summary>
    /// The multiple image sides must be for <paramref name="config"/>: the VAE's factor (8) times the UNet's
    /// latent divisor (8 for four levels), so 64 for SD 1.x-shaped models.
    /// </summary>
    public static int SizeMultiple(DiffusionModelConfig config) => config.Vae.DownsamplingFactor * config.Unet.SizeDivisor;

    /// <summary>Throws <see cref="ArgumentException"/> with a message naming the bad value and the allowed range.</summary>
#pragma warning disable CA2208 // The names are the request's own properties, the values its caller set.
    public void Validate(DiffusionModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (Prompt is null)
            throw new ArgumentException("A prompt is needed.", nameof(Prompt));
        foreach (var (name, text) in new[] { (nameof(Prompt), Prompt), (nameof(NegativePrompt), NegativePrompt ?? "") })
        {
            try
            {
                PromptAttention.Parse(text);
            }
            catch (FormatException e)
            {
                throw new ArgumentException(e.Message, name, e);
            }
        }
        if (!PreviewLimits.IsValidSteps(Steps))
            throw new ArgumentOutOfRangeException(nameof(Steps), Steps, $"Steps must be {PreviewLimits.StepsRule}.");
        if (!PreviewLimits.IsValidGuidanceScale(GuidanceScale))
            throw new ArgumentOutOfRangeException(nameof(GuidanceScale), GuidanceScale, $"The CFG scale must be {PreviewLimits.GuidanceScaleRule}.");
        if (!PreviewLimits.IsValidSeed(Seed))
            throw new ArgumentOutOfRangeException(nameof(Seed), Seed, $"The seed must be {PreviewLimits.SeedRule}.");
        var factor = config.Vae.DownsamplingFactor;
        var multiple = SizeMultiple(config);
        foreach (var (name, value) in new[] { ("width", Width), ("height", Height) })
        {
            if (!PreviewLimits.IsValidSize(value, multiple))
                throw new ArgumentOutOfRangeException(name, value,
                    $"The {name} {value} must be {PreviewLimits.SizeRule(multiple)} for this model (the VAE divides by {factor}, the UNet halves the latents {int.Log2(config.Unet.SizeDivisor)} times); try {PreviewLimits.NearestSize(value, multiple)}.");
        }
    }
#pragma warning restore CA2208
}
