using SweepRunner.Diffusion.TextEncoder;
using SweepRunner.Diffusion.Unet;
using SweepRunner.Diffusion.Vae;

namespace SweepRunner.Diffusion.Model;

/// <summary>The three networks of a Stable Diffusion 1.x model.</summary>
public sealed record DiffusionModelConfig(ClipTextConfig TextEncoder, UnetConfig Unet, VaeConfig Vae)
{
    /// <summary>Stable Diffusion 1.5.</summary>
    public static DiffusionModelConfig Sd15 { get; } = new(ClipTextConfig.Sd15, UnetConfig.Sd15, VaeConfig.Sd15);

    /// <summary>The small model for tests and the demo: trains on two CPU cores.</summary>
    public static DiffusionModelConfig Tiny { get; } = new(ClipTextConfig.Tiny, UnetConfig.Tiny, VaeConfig.Tiny);

    /// <summary>Throws when a component config is invalid or the components do not fit together.</summary>
    public void Validate()
    {
        TextEncoder.Validate();
        Unet.Validate();
        Vae.Validate();
        if (Unet.ContextDim != TextEncoder.Width)
        {
            throw new ArgumentException($"UNet context dim {Unet.ContextDim} differs from the text encoder width {TextEncoder.Width}.");
        }

        if (Unet.InChannels != Vae.LatentChannels || Unet.OutChannels != Vae.LatentChannels)
        {
            throw new ArgumentException($"UNet in/out channels {Unet.InChannels}/{Unet.OutChannels} differ from the VAE's {Vae.LatentChannels} latent channels.");
        }
    }
}
