using System.Globalization;
using SweepRunner.Cli.Commands;
using SweepRunner.Core.Previews;
using SweepRunner.Diffusion.Lora;
using SweepRunner.Diffusion.Model;
using SweepRunner.Diffusion.Sampling;
using SweepRunner.Diffusion.Schedulers;

namespace SweepRunner.Cli.Output;

/// <summary>The AUTOMATIC1111 parameters of an image made by <c>sample</c>.</summary>
public static class SampleInfotext
{
    /// <summary>AUTOMATIC1111's name of the sampler ("DDIM", "Euler a", "Euler").</summary>
    public static string SamplerName(SamplerKind kind) => Samplers.Create(kind, DdpmSchedule.Sd15).DisplayName;

    /// <summary>
    /// Prompt, negative, steps, sampler, CFG, seed, size, model and clip skip; with a LoRA, its
    /// <c>&lt;lora:name:weight&gt;</c> tag after the prompt (as AUTOMATIC1111 shows a LoRA used) and "Lora hashes".
    /// </summary>
    public static GenerationParameters For(SampleCommand.Settings settings, SamplerKind sampler, ModelLocation model, AttachedLora? lora)
    {
        var prompt = settings.Prompt!;
        var extra = new List<KeyValuePair<string, string>>();
        if (lora is not null)
        {
            prompt += $" <lora:{lora.Name}:{settings.LoraWeight.ToString("0.###", CultureInfo.InvariantCulture)}>";
            extra.Add(new("Lora hashes", $"{lora.Name}: {lora.ShortHash}"));
        }
        return new GenerationParameters(prompt, settings.Negative, settings.Steps, SamplerName(sampler), settings.Cfg, settings.Seed, settings.Width, settings.Height)
        {
            ModelName = model.Name,
            ClipSkip = settings.ClipSkip,
            Extra = extra,
        };
    }
}
