using SweepRunner.Diffusion.Schedulers;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Sampling;

/// <summary>
/// k-diffusion's Euler sampler over <see cref="KDiffusionSigmas"/>, plain or ancestral ("Euler a").
/// Latents start at noise·σ_0; each step asks the model for ε at x/√(σ²+1) and moves along d = ε:
/// Euler: x ← x + d·(σ_next − σ). Ancestral: σ_up = min(σ_next, √(σ_next²(σ²−σ_next²)/σ²)),
/// σ_down = √(σ_next² − σ_up²), x ← x + d·(σ_down − σ) + z·σ_up, with z from the seeded generator.
/// </summary>
public sealed class EulerSampler(DdpmSchedule schedule, bool ancestral) : ISampler
{
    /// <summary>True for "Euler a".</summary>
    public bool Ancestral { get; } = ancestral;

    public string DisplayName => Ancestral ? "Euler a" : "Euler";

    public Tensor Sample(NoisePredictor model, SamplingRequest request)
    {
        ArgumentNullException.ThrowIfNull(model);
        request.Validate();
        var (timesteps, sigmas) = KDiffusionSigmas.For(schedule, request.Steps);
        using var noise = new LatentNoise(request.Seed, request.Device);
        long[] shape = [request.BatchSize, request.LatentChannels, request.LatentHeight, request.LatentWidth];
        Tensor initial;
        using (var start = noise.Next(shape))
            initial = start * sigmas[0];

        return SamplingLoop.Run(request, initial, request.Steps, (i, x) =>
        {
            double sigma = sigmas[i], sigmaNext = sigmas[i + 1];
            var eps = GuidedPrediction.Predict(model, request, x / Math.Sqrt(sigma * sigma + 1), timesteps[i]);
            if (!Ancestral)
                return x + eps * (sigmaNext - sigma);

            var sigmaUp = Math.Min(sigmaNext, Math.Sqrt(sigmaNext * sigmaNext * (sigma * sigma - sigmaNext * sigmaNext) / (sigma * sigma)));
            var sigmaDown = Math.Sqrt(sigmaNext * sigmaNext - sigmaUp * sigmaUp);
            var next = x + eps * (sigmaDown - sigma);
            return sigmaNext > 0 ? next + noise.Next(shape) * sigmaUp : next;
        });
    }
}
