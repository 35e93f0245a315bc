using SweepRunner.Cli.Commands;
using SweepRunner.Core.Previews;
using SweepRunner.Diffusion.Lora;
using SweepRunner.Diffusion.Model;
using SweepRunner.Diffusion.Pipeline;
using SweepRunner.Diffusion.Sampling;

namespace SweepRunner.Cli.Output;

/// <summary>The AUTOMATIC1111 parameters of an image made by <c>sample</c>: <see cref="ImageInfotext"/>, as previews write it.</summary>
public static class SampleInfotext
{
    /// <summary>AUTOMATIC1111's name of the sampler ("DDIM", "Euler a", "Euler").</summary>
    public static string SamplerName(SamplerKind kind) => ImageInfotext.SamplerName(kind);

    /// <summary>
    /// Prompt, negative, steps, sampler, CFG, seed, size, model and clip skip of <paramref name="request"/>; with a LoRA,
    /// its <c>&lt;lora:name:weight&gt;</c> tag after the prompt (as AUTOMATIC1111 shows a LoRA used) and "Lora hashes".
    /// </summary>
    public static GenerationParameters For(ImageRequest request, SampleCommand.Settings settings, ModelLocation model, AttachedLora? lora) =>
        ImageInfotext.For(request, model.Name, lora is null ? [] : [new InfotextLora(lora.Name, settings.LoraWeight, lora.ShortHash)]);
}
