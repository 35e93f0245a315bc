using System.Globalization;
using SweepRunner.Core.Previews;
using SweepRunner.Diffusion.Sampling;
using SweepRunner.Diffusion.Schedulers;

namespace SweepRunner.Diffusion.Pipeline;

/// <summary>A LoRA file applied to an image, as AUTOMATIC1111's infotext names it.</summary>
/// <param name="Name">The file name without extension.</param>
/// <param name="Weight">The multiplier.</param>
/// <param name="ShortHash">AUTOMATIC1111's short hash of the file.</param>
public sealed record InfotextLora(string Name, double Weight, string ShortHash);

/// <summary>The AUTOMATIC1111 parameters of an image made by <see cref="ImageGenerator"/>, for <c>sample</c> and previews alike.</summary>
public static class ImageInfotext
{
    /// <summary>AUTOMATIC1111's name of the sampler ("DDIM", "Euler a", "Euler").</summary>
    public static string SamplerName(SamplerKind kind) => Samplers.Create(kind, DdpmSchedule.Sd15).DisplayName;

    /// <summary>
    /// Prompt, negative prompt, steps, sampler, CFG scale, seed, size, model and clip skip of <paramref name="request"/>;
    /// each of <paramref name="loras"/> as a <c>&lt;lora:name:weight&gt;</c> tag after the prompt (as AUTOMATIC1111
    /// shows a LoRA used) and in "Lora hashes".
    /// </summary>
    public static GenerationParameters For(ImageRequest request, string? modelName, IReadOnlyList<InfotextLora>? loras = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var prompt = request.Prompt;
        var extra = new List<KeyValuePair<string, string>>();
        if (loras is { Count: > 0 })
        {
            foreach (var lora in loras)
                prompt += $" <lora:{lora.Name}:{lora.Weight.ToString("0.###", CultureInfo.InvariantCulture)}>";
            extra.Add(new("Lora hashes", string.Join(", ", loras.Select(l => $"{l.Name}: {l.ShortHash}"))));
        }
        return new GenerationParameters(prompt, request.NegativePrompt, request.Steps, SamplerName(request.Sampler), request.GuidanceScale,
            request.Seed, request.Width, request.Height)
        {
            ModelName = modelName,
            ClipSkip = request.ClipSkip,
            Extra = extra,
        };
    }
}
