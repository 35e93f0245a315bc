using System.Security.Cryptography;
using System.Text;
using SweepRunner.Diffusion.Checkpoints;
using SweepRunner.Diffusion.Vae;
using static TorchSharp.torch;

namespace SweepRunner.Training.Data;

/// <summary>
/// Identifies a VAE by its weights: sha256 over every parameter's name, dtype, shape and bytes. Latents cached with
/// one VAE are reused only with a VAE of the same identity.
/// </summary>
public static class VaeIdentity
{
    public static string Compute(AutoencoderKL vae)
    {
        ArgumentNullException.ThrowIfNull(vae);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, parameter) in vae.named_parameters())
        {
            sha.AppendData(Encoding.UTF8.GetBytes($"{name}:{parameter.dtype}:{string.Join("x", parameter.shape)}\n"));
            using var scope = NewDisposeScope();
            var bytes = parameter.detach().cpu().contiguous();
            TensorBytes.WriteTo(bytes, span => sha.AppendData(span));
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
