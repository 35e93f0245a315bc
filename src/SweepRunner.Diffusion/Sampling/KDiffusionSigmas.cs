using SweepRunner.Diffusion.Schedulers;

namespace SweepRunner.Diffusion.Sampling;

/// <summary>
/// The noise levels k-diffusion (and so AUTOMATIC1111's Euler and Euler a) walks for a discrete DDPM model:
/// n timesteps evenly spaced from T−1 down to 0, σ(t) interpolated between neighbouring training timesteps
/// in log space (σ_t = √((1−ᾱ_t)/ᾱ_t)), then a final σ = 0.
/// </summary>
public static class KDiffusionSigmas
{
    /// <summary>The n model timesteps (fractional) and n+1 sigmas, the last being 0.</summary>
    public static (double[] Timesteps, double[] Sigmas) For(DdpmSchedule schedule, int steps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        var last = schedule.TrainTimesteps - 1;
        var timesteps = new double[steps];
        var sigmas = new double[steps + 1];
        for (var i = 0; i < steps; i++)
        {
            var t = steps == 1 ? last : last - (double)last * i / (steps - 1);
            timesteps[i] = t;
            sigmas[i] = SigmaAt(schedule, t);
        }
        return (timesteps, sigmas);
    }

    /// <summary>σ at a fractional timestep, interpolated in log space.</summary>
    public static double SigmaAt(DdpmSchedule schedule, double t)
    {
        if (t < 0 || t > schedule.TrainTimesteps - 1)
            throw new ArgumentOutOfRangeException(nameof(t), t, $"Timesteps run from 0 to {schedule.TrainTimesteps - 1}.");
        var low = (int)Math.Floor(t);
        var high = (int)Math.Ceiling(t);
        var w = t - low;
        var logSigma = (1 - w) * Math.Log(schedule.Sigma(low)) + w * Math.Log(schedule.Sigma(high));
        return Math.Exp(logSigma);
    }
}
