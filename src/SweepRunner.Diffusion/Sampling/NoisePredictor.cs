using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Sampling;

/// <summary>
/// The denoiser the samplers drive: predicts the noise ε in <paramref name="latents"/> [B, C, h, w] at
/// <paramref name="timesteps"/> (float32 [B]; fractional for the k-diffusion samplers) given the text
/// <paramref name="context"/> [B, tokens, dim]. The UNet provides one; tests use small functions.
/// </summary>
public delegate Tensor NoisePredictor(Tensor latents, Tensor timesteps, Tensor context);
