using SweepRunner.Core.Previews;
using SweepRunner.Diffusion.Model;
using SweepRunner.Diffusion.Previews;
using SweepRunner.Diffusion.Sampling;
using SweepRunner.Diffusion.Schedulers;
using SweepRunner.Diffusion.Tokenizer;
using static TorchSharp.torch;

namespace SweepRunner.Training.Trainer;

/// <summary>
/// Previews straight from the networks: tokenizer and text encoder (with clip_skip) for the prompt and negative
/// prompt, a sampler over the UNet with classifier-free guidance, and the VAE decoder. Runs without gradients; the
/// UNet and text encoder may hold half-precision weights, the sampler works in float32.
/// </summary>
public sealed class DiffusionPreviewRenderer(StableDiffusionModel model, ClipTokenizer tokenizer, int clipSkip) : IPreviewRenderer
{
    public string DisplayName(string sampler) => Samplers.Create(Samplers.Parse(sampler), DdpmSchedule.Sd15).DisplayName;

    public RgbImage Render(SamplePrompt prompt, long seed, string sampler, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var device = model.Unet.parameters().First().device;
        var weightType = model.Unet.parameters().First().dtype;
        var conditioning = Encode(prompt.Prompt, device);
        var unconditioning = Encode(prompt.NegativePrompt ?? "", device);
        var factor = model.Vae.Config.DownsamplingFactor;
        var request = new SamplingRequest(conditioning, unconditioning, prompt.Steps, prompt.GuidanceScale, seed,
            prompt.Height / factor, prompt.Width / factor, model.Vae.Config.LatentChannels)
        {
            Device = device,
            Cancellation = cancellation,
        };
        NoisePredictor predictor = (latents, timesteps, context) =>
            model.Unet.forward(latents.to_type(weightType), timesteps, context.to_type(weightType)).to_type(ScalarType.Float32);
        var latents = Samplers.Create(Samplers.Parse(sampler), DdpmSchedule.Sd15).Sample(predictor, request);
        var vaeType = model.Vae.parameters().First().dtype;
        var images = model.Vae.DecodeLatents(latents.to_type(vaeType));
        return PreviewPixels.FromTensor(images[0]);
    }

    Tensor Encode(string text, Device device)
    {
        var ids = tokenizer.Encode(text).Ids.Select(i => (long)i).ToArray();
        var tokens = tensor(ids, ScalarType.Int64, device).unsqueeze(0);
        return model.TextEncoder.forward(tokens, clipSkip);
    }
}
