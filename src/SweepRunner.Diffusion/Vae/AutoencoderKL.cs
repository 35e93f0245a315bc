using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Vae;

/// <summary>
/// The LDM AutoencoderKL as stored under <c>first_stage_model.</c>: <c>encoder</c>, <c>decoder</c>, <c>quant_conv</c>,
/// <c>post_quant_conv</c>. Images are in [-1, 1]; latents returned by <see cref="Encode"/> are unscaled.
/// </summary>
public sealed class AutoencoderKL : nn.Module<Tensor, Tensor>
{
    private readonly VaeEncoder encoder;
    private readonly VaeDecoder decoder;
    private readonly Conv2d quant_conv;
    private readonly Conv2d post_quant_conv;

    public AutoencoderKL(VaeConfig config, Device? device = null, ScalarType? dtype = null)
        : base(nameof(AutoencoderKL))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        encoder = new VaeEncoder(config, device, dtype);
        decoder = new VaeDecoder(config, device, dtype);
        quant_conv = nn.Conv2d(2 * config.LatentChannels, 2 * config.LatentChannels, 1, device: device, dtype: dtype);
        post_quant_conv = nn.Conv2d(config.LatentChannels, config.LatentChannels, 1, device: device, dtype: dtype);
        RegisterComponents();
    }

    public VaeConfig Config { get; }

    /// <summary>Images [B, 3, H, W] in [-1, 1], H and W divisible by the downsampling factor → latent distribution.</summary>
    public LatentDistribution Encode(Tensor images)
    {
        var factor = Config.DownsamplingFactor;
        if (images.dim() != 4 || images.shape[2] % factor != 0 || images.shape[3] % factor != 0)
        {
            throw new ArgumentException($"VAE input must be [B, C, H, W] with H and W divisible by {factor}; got [{string.Join(", ", images.shape)}].", nameof(images));
        }

        using var hidden = encoder.forward(images);
        using var moments = quant_conv.forward(hidden);
        return new LatentDistribution(moments);
    }

    /// <summary>Unscaled latents [B, latent, h, w] → images [B, 3, 8h, 8w] clamped to [-1, 1].</summary>
    public Tensor Decode(Tensor latents)
    {
        using var hidden = post_quant_conv.forward(latents);
        using var images = decoder.forward(hidden);
        return images.clamp(-1.0, 1.0);
    }

    /// <summary>Images → the UNet's latents: the distribution mean times the scaling factor (0.18215 for SD1.5).</summary>
    public Tensor EncodeToLatents(Tensor images)
    {
        using var distribution = Encode(images);
        return distribution.Mean * Config.ScalingFactor;
    }

    /// <summary>The UNet's latents (scaled) → images in [-1, 1].</summary>
    public Tensor DecodeLatents(Tensor scaledLatents)
    {
        using var unscaled = scaledLatents / Config.ScalingFactor;
        return Decode(unscaled);
    }

    /// <summary>Reconstruction: decode(mean of encode(images)).</summary>
    public override Tensor forward(Tensor images)
    {
        using var distribution = Encode(images);
        return Decode(distribution.Mean);
    }
}
