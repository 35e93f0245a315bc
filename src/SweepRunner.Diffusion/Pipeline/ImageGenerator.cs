using SweepRunner.Diffusion.Model;
using SweepRunner.Diffusion.Previews;
using SweepRunner.Diffusion.Sampling;
using SweepRunner.Diffusion.Schedulers;
using SweepRunner.Diffusion.Tokenizer;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Pipeline;

/// <summary>
/// Text to image with a loaded model, the one pipeline behind <c>sweeprunner sample</c> and the trainer's previews:
/// the prompt and the negative prompt (empty when none) encoded by CLIP with clip_skip, with AUTOMATIC1111 weighting and up
/// to 225 tokens, as sd-scripts' sampler encodes them (<see cref="PromptEncoder.EncodeWeighted"/>) → the sampler over the model family's noise schedule, with classifier-free guidance
/// and the UNet as its noise predictor (latents and text conditioning cast to the UNet's dtype, the sampler in float32,
/// each step in its own dispose scope) → VAE decode in the VAE's dtype → 8-bit RGB. Starting noise comes from a CPU
/// generator seeded with the request's seed, so the same request gives the same pixels on every device. LoRA adapters
/// attached to the model's slots take part at their multiplier without anything special here.
/// </summary>
public sealed class ImageGenerator
{
    readonly StableDiffusionModel _model;
    readonly PromptEncoder _prompts;
    readonly DdpmSchedule _schedule;
    readonly DdimOptions? _ddim;

    /// <param name="schedule">The noise schedule; the model family's (<see cref="DdpmSchedule.Sd15"/> for SD 1.x) by default.</param>
    /// <param name="ddim">DDIM settings (SD 1.5's scheduler config by default; sd-scripts' own sampler uses <see cref="DdimOptions.SdScripts"/>).</param>
    public ImageGenerator(StableDiffusionModel model, ClipTokenizer tokenizer, DdpmSchedule? schedule = null, DdimOptions? ddim = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        _prompts = new PromptEncoder(model.TextEncoder, tokenizer);
        _schedule = schedule ?? model.Family.Schedule;
        _ddim = ddim;
    }

    public PromptEncoder Prompts => _prompts;

    /// <summary>Generates one image.</summary>
    public RgbImage Generate(ImageRequest request)
    {
        using var scope = NewDisposeScope();
        var decoded = GenerateTensor(request);
        return PreviewPixels.FromTensor(decoded);
    }

    /// <summary>Generates one image as a [1, 3, H, W] float32 tensor in [−1, 1] (owned by the caller).</summary>
    /// <exception cref="ArgumentException">The request does not fit the model (size, steps, seed, clip_skip).</exception>
    public Tensor GenerateTensor(ImageRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate(_model.Config);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var (conditioning, unconditioning) = _prompts.EncodeWeighted(request.Prompt, request.NegativePrompt, request.ClipSkip);
        var unet = _model.Unet;
        var unetDtype = unet.parameters().First().dtype;
        var device = unet.parameters().First().device;
        NoisePredictor predictor = (latents, timesteps, context) =>
        {
            using var typedLatents = latents.dtype == unetDtype ? null : latents.to_type(unetDtype);
            using var typedContext = context.dtype == unetDtype ? null : context.to_type(unetDtype);
            return unet.forward(typedLatents ?? latents, timesteps, typedContext ?? context);
        };

        var factor = _model.Config.Vae.DownsamplingFactor;
        var sampling = new SamplingRequest(conditioning, unconditioning, request.Steps, request.GuidanceScale, request.Seed,
            request.Height / factor, request.Width / factor, _model.Config.Vae.LatentChannels)
        {
            Device = device,
            OnStep = request.OnStep,
            Cancellation = request.Cancellation,
        };
        var latents = Samplers.Create(request.Sampler, _schedule, _ddim).Sample(predictor, sampling);
        var vaeDtype = _model.Vae.parameters().First().dtype;
        var image = _model.Vae.DecodeLatents(latents.dtype == vaeDtype ? latents : latents.to_type(vaeDtype));
        return image.to_type(ScalarType.Float32).MoveToOuterDisposeScope();
    }
}
