using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Sampling;

/// <summary>
/// Classifier-free guidance: ε = ε_uncond + s · (ε_cond − ε_uncond), with the unconditional and conditional
/// halves evaluated in one batch (negative prompt first, as diffusers and AUTOMATIC1111 do).
/// </summary>
public static class GuidedPrediction
{
    /// <summary>The guided noise prediction for <paramref name="latents"/> at one timestep value.</summary>
    public static Tensor Predict(NoisePredictor model, SamplingRequest request, Tensor latents, double timestep)
    {
        using var scope = NewDisposeScope();
        var batch = latents.shape[0];
        var guided = request.Unconditioning is not null && request.GuidanceScale != 1.0;
        Tensor eps;
        if (!guided)
        {
            var t = full(batch, timestep, ScalarType.Float32, latents.device);
            eps = model(latents, t, request.Conditioning).to_type(ScalarType.Float32);
        }
        else
        {
            var both = cat([latents, latents], 0);
            var t = full(2 * batch, timestep, ScalarType.Float32, latents.device);
            var context = cat([request.Unconditioning!, request.Conditioning], 0);
            var prediction = model(both, t, context).to_type(ScalarType.Float32);
            var uncond = prediction.narrow(0, 0, batch);
            var cond = prediction.narrow(0, batch, batch);
            eps = uncond + request.GuidanceScale * (cond - uncond);
        }
        if (!eps.shape.SequenceEqual(latents.shape))
            throw new InvalidOperationException($"The noise predictor returned [{string.Join(", ", eps.shape)}] for latents [{string.Join(", ", latents.shape)}].");
        return eps.MoveToOuterDisposeScope();
    }
}
