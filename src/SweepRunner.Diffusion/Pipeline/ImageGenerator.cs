using SweepRunner.Diffusion.Model;
using SweepRunner.Diffusion.Previews;
using SweepRunner.Diffusion.Sampling;
using SweepRunner.Diffusion.Schedulers;
using SweepRunner.Diffusion.Tokenizer;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Pipeline;

/// <summary>
/// Text to image with a loaded model: prompt and negative prompt → CLIP conditioning → the sampler, with the UNet as
/// its noise predictor (each step in its own dispose scope) → VAE decode → 8-bit RGB. The same request gives the same
/// pixels. LoRA adapters attached to the model's slots take part without anything special here.
/// </summary>
public sealed class ImageGenerator
{
    readonly StableDiffusionModel _model;
    readonly PromptEncoder _prompts;
    readonly DdpmSchedule _schedule;
    readonly DdimOptions? _ddim;

    /// <param name="ddim">DDIM settings (SD 1.5's scheduler config by default; sd-scripts' previews use <see cref="DdimOptions.SdScripts"/>).</param>
    public ImageGenerator(StableDiffusionModel model, ClipTokenizer tokenizer, DdpmSchedule? schedule = null, DdimOptions? ddim = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        _prompts = new PromptEncoder(model.TextEncoder, tokenizer);
        _schedule = schedule ?? DdpmSchedule.Sd15;
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
    public Tensor GenerateTensor(ImageRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate(_model.Config);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var (conditioning, unconditioning) = _prompts.EncodePair(request.Prompt, request.NegativePrompt, request.ClipSkip);
        var unet = _model.Unet;
        var unetDtype = unet.parameters().First().dtype;
        var device = unet.parameters().First().device;
        NoisePredictor predictor = (latents, timesteps, context) =>
        {
            if (latents.dtype == unetDtype) return unet.forward(latents, timesteps, context);
            using var typed = latents.to_type(unetDtype);
            return unet.forward(typed, timesteps, context);
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
