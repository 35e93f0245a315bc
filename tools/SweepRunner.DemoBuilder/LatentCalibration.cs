using SweepRunner.Diffusion.Vae;
using static TorchSharp.torch;

namespace SweepRunner.DemoBuilder;

/// <summary>
/// Makes a freshly trained VAE's latents fit the fixed latent scaling factor: the encoder's mean of channel k becomes
/// c_k·(z_k − m_k) with c_k = 1 / (scaling factor · std_k), so the UNet's latents (mean × scaling factor) have mean 0
/// and standard deviation 1 over the dataset, as SD's do. The change is a reparametrisation of <c>quant_conv</c>
/// (mean rows scaled and shifted, log-variance biases shifted by 2·ln c_k) and <c>post_quant_conv</c> (columns divided
/// by c_k, bias given W·m), so decoded images stay the same.
/// </summary>
public static class LatentCalibration
{
    /// <summary>Calibrates <paramref name="vae"/> on <paramref name="images"/> ([N, 3, H, W] in [−1, 1]); returns the unscaled channel means and deviations found.</summary>
    public static (double[] Mean, double[] Std) Apply(AutoencoderKL vae, Tensor images, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(vae);
        var channels = vae.Config.LatentChannels;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var means = EncodeMeans(vae, images, batchSize);
        var perChannel = means.transpose(0, 1).reshape(channels, -1);
        var mean = perChannel.mean([1]);
        var std = perChannel.std(1);
        var scale = 1.0 / (std * vae.Config.ScalingFactor);

        var parameters = vae.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var quantWeight = parameters["quant_conv.weight"];
        var quantBias = parameters["quant_conv.bias"];
        var postWeight = parameters["post_quant_conv.weight"];
        var postBias = parameters["post_quant_conv.bias"];

        quantWeight.narrow(0, 0, channels).mul_(scale.view(channels, 1, 1, 1));
        var meanBias = quantBias.narrow(0, 0, channels);
        meanBias.sub_(mean).mul_(scale);
        quantBias.narrow(0, channels, channels).add_(scale.log() * 2);
        postBias.add_(postWeight.view(channels, channels).matmul(mean));
        postWeight.div_(scale.view(1, channels, 1, 1));

        return (ToArray(mean), ToArray(std));
    }

    /// <summary>The UNet's latents (scaled means) of <paramref name="images"/>, encoded in batches without gradients.</summary>
    public static Tensor EncodeLatents(AutoencoderKL vae, Tensor images, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(vae);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var parts = new List<Tensor>();
        for (long start = 0; start < images.shape[0]; start += batchSize)
            parts.Add(vae.EncodeToLatents(images.narrow(0, start, Math.Min(batchSize, images.shape[0] - start))));
        return cat(parts, 0).MoveToOuterDisposeScope();
    }

    static Tensor EncodeMeans(AutoencoderKL vae, Tensor images, int batchSize)
    {
        var parts = new List<Tensor>();
        for (long start = 0; start < images.shape[0]; start += batchSize)
        {
            using var distribution = vae.Encode(images.narrow(0, start, Math.Min(batchSize, images.shape[0] - start)));
            parts.Add(distribution.Mean.clone());
        }

        return cat(parts, 0);
    }

    static double[] ToArray(Tensor values) => values.to_type(ScalarType.Float64).data<double>().ToArray();
}
