using SweepRunner.Diffusion.Schedulers;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Sampling;

/// <summary>DDIM settings, named as in diffusers' DDIMScheduler configuration.</summary>
/// <param name="StepsOffset">Added to every timestep of the "leading" spacing.</param>
/// <param name="SetAlphaToOne">ᾱ after the last step: 1 when true, ᾱ_0 when false.</param>
/// <param name="ClipSample">Clamp the predicted x0 to [−1, 1].</param>
/// <param name="Eta">0 for deterministic DDIM; 1 adds DDPM-like noise.</param>
public sealed record DdimOptions(int StepsOffset, bool SetAlphaToOne, bool ClipSample, double Eta = 0)
{
    /// <summary>The scheduler_config.json of runwayml/stable-diffusion-v1-5: steps_offset 1, set_alpha_to_one false, clip_sample false.</summary>
    public static DdimOptions Sd15 { get; } = new(1, false, false);

    /// <summary>
    /// What sd-scripts' preview sampler builds: a DDIMScheduler with diffusers' defaults (steps_offset 0,
    /// set_alpha_to_one true) and clip_sample forced on.
    /// </summary>
    public static DdimOptions SdScripts { get; } = new(0, true, true);
}

/// <summary>
/// DDIM (arXiv 2010.02502) with SD-style "leading" timestep spacing: t = i·⌊T/steps⌋ + steps_offset,
/// from the largest down. For each t, with ε from the guided model:
/// x0 = (x − √(1−ᾱ_t)·ε)/√ᾱ_t, then x ← √ᾱ_prev·x0 + √(1−ᾱ_prev−σ²)·ε (+ σ·z when eta &gt; 0).
/// </summary>
public sealed class DdimSampler(DdpmSchedule schedule, DdimOptions? options = null) : ISampler
{
    readonly DdimOptions _options = options ?? DdimOptions.Sd15;

    public string DisplayName => "DDIM";

    /// <summary>The timesteps visited for <paramref name="steps"/> steps, largest first.</summary>
    public IReadOnlyList<int> Timesteps(int steps)
    {
        if (steps < 1 || steps > schedule.TrainTimesteps)
            throw new ArgumentOutOfRangeException(nameof(steps), steps, $"DDIM takes 1 to {schedule.TrainTimesteps} steps.");
        var ratio = schedule.TrainTimesteps / steps;
        var timesteps = Enumerable.Range(0, steps).Select(i => i * ratio + _options.StepsOffset).Reverse().ToArray();
        if (timesteps[0] >= schedule.TrainTimesteps)
            throw new ArgumentOutOfRangeException(nameof(steps), steps,
                $"{steps} steps with steps_offset {_options.StepsOffset} would start at timestep {timesteps[0]}, past the schedule's last ({schedule.TrainTimesteps - 1}); use fewer steps.");
        return timesteps;
    }

    public Tensor Sample(NoisePredictor model, SamplingRequest request)
    {
        ArgumentNullException.ThrowIfNull(model);
        request.Validate();
        var timesteps = Timesteps(request.Steps);
        var ratio = schedule.TrainTimesteps / request.Steps;
        var finalAlpha = _options.SetAlphaToOne ? 1.0 : schedule.AlphaCumprod(0);
        using var noise = new LatentNoise(request.Seed, request.Device);
        long[] shape = [request.BatchSize, request.LatentChannels, request.LatentHeight, request.LatentWidth];
        var initial = noise.Next(shape);

        return SamplingLoop.Run(request, initial, timesteps.Count, (i, x) =>
        {
            var t = timesteps[i];
            var previous = t - ratio;
            var alpha = schedule.AlphaCumprod(t);
            var alphaPrevious = previous >= 0 ? schedule.AlphaCumprod(previous) : finalAlpha;

            var eps = GuidedPrediction.Predict(model, request, x, t);
            var x0 = (x - Math.Sqrt(1 - alpha) * eps) / Math.Sqrt(alpha);
            if (_options.ClipSample) x0 = x0.clamp(-1, 1);

            var variance = (1 - alphaPrevious) / (1 - alpha) * (1 - alpha / alphaPrevious);
            var sigma = _options.Eta * Math.Sqrt(Math.Max(variance, 0));
            var direction = Math.Sqrt(Math.Max(1 - alphaPrevious - sigma * sigma, 0)) * eps;
            var next = Math.Sqrt(alphaPrevious) * x0 + direction;
            if (sigma > 0) next = next + sigma * noise.Next(shape);
            return next;
        });
    }
}
