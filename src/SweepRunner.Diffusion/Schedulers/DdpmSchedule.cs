using TorchSharp;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Schedulers;

/// <summary>
/// The DDPM noise schedule Stable Diffusion 1.x was trained with: "scaled linear" betas
/// (linspace(√β_start, √β_end, T)², β_start 0.00085, β_end 0.012, T 1000) and ᾱ_t = Π(1 − β). Computed in
/// float32 with the same operations as diffusers' DDPMScheduler, so the values match the ones sd-scripts
/// trains with bit for bit.
/// </summary>
public sealed class DdpmSchedule
{
    /// <summary>SD 1.x: 1000 training timesteps.</summary>
    public const int Sd15TrainTimesteps = 1000;

    /// <summary>SD 1.x: first beta.</summary>
    public const double Sd15BetaStart = 0.00085;

    /// <summary>SD 1.x: last beta.</summary>
    public const double Sd15BetaEnd = 0.012;

    readonly float[] _alphasCumprod;

    DdpmSchedule(float[] alphasCumprod) => _alphasCumprod = alphasCumprod;

    /// <summary>The schedule SD 1.x uses.</summary>
    public static DdpmSchedule Sd15 { get; } = ScaledLinear(Sd15TrainTimesteps, Sd15BetaStart, Sd15BetaEnd);

    /// <summary>A scaled-linear schedule: betas = linspace(√start, √end, timesteps)².</summary>
    public static DdpmSchedule ScaledLinear(int timesteps, double betaStart, double betaEnd)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(timesteps, 2);
        if (!(betaStart > 0 && betaStart < betaEnd && betaEnd < 1))
            throw new ArgumentOutOfRangeException(nameof(betaStart), $"Betas must satisfy 0 < start < end < 1; got {betaStart} and {betaEnd}.");
        using var scope = NewDisposeScope();
        var betas = linspace(Math.Sqrt(betaStart), Math.Sqrt(betaEnd), timesteps, ScalarType.Float32).pow(2);
        var alphasCumprod = (1 - betas).cumprod(0, ScalarType.Float32);
        return new DdpmSchedule(alphasCumprod.data<float>().ToArray());
    }

    /// <summary>Number of training timesteps T; valid timesteps are 0 … T−1.</summary>
    public int TrainTimesteps => _alphasCumprod.Length;

    /// <summary>ᾱ_t for every timestep.</summary>
    public IReadOnlyList<float> AlphasCumprod => _alphasCumprod;

    /// <summary>ᾱ at <paramref name="timestep"/>.</summary>
    public double AlphaCumprod(int timestep)
    {
        CheckTimestep(timestep);
        return _alphasCumprod[timestep];
    }

    /// <summary>The k-diffusion noise level σ_t = √((1 − ᾱ_t) / ᾱ_t) at <paramref name="timestep"/>.</summary>
    public double Sigma(int timestep)
    {
        var alpha = AlphaCumprod(timestep);
        return Math.Sqrt((1 - alpha) / alpha);
    }

    /// <summary>
    /// x_t = √ᾱ_t · x0 + √(1 − ᾱ_t) · noise, per sample: <paramref name="timesteps"/> holds one integer
    /// timestep per batch entry of <paramref name="x0"/>.
    /// </summary>
    public Tensor AddNoise(Tensor x0, Tensor noise, Tensor timesteps)
    {
        using var scope = NewDisposeScope();
        var alpha = Gather(timesteps, x0);
        var noisy = alpha.sqrt() * x0 + (1 - alpha).sqrt() * noise;
        return noisy.MoveToOuterDisposeScope();
    }

    /// <summary>The training target for epsilon prediction (what SD 1.x predicts): the noise itself.</summary>
    public static Tensor EpsilonTarget(Tensor noise) => noise.alias();

    /// <summary>Signal-to-noise ratio ᾱ_t / (1 − ᾱ_t) per timestep, as float32 on the timesteps' device.</summary>
    public Tensor Snr(Tensor timesteps)
    {
        using var scope = NewDisposeScope();
        var alpha = GatherFlat(timesteps);
        return (alpha / (1 - alpha)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The Min-SNR-γ loss weight for epsilon prediction (arXiv 2303.09556, sd-scripts' min_snr_gamma):
    /// min(SNR_t, γ) / SNR_t per timestep.
    /// </summary>
    public Tensor MinSnrWeight(Tensor timesteps, double gamma)
    {
        if (!(gamma > 0))
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "min_snr_gamma must be positive (sd-scripts suggests 5).");
        using var scope = NewDisposeScope();
        var snr = Snr(timesteps);
        return (snr.clamp(max: gamma) / snr).MoveToOuterDisposeScope();
    }

    /// <summary>Timesteps drawn uniformly from [<paramref name="min"/>, <paramref name="max"/>), int64, one per sample.</summary>
    public Tensor SampleTimesteps(int batchSize, Generator? generator = null, Device? device = null, int min = 0, int? max = null)
    {
        var upper = max ?? TrainTimesteps;
        if (min < 0 || upper > TrainTimesteps || min >= upper)
            throw new ArgumentOutOfRangeException(nameof(min), $"Timestep range [{min}, {upper}) must lie inside [0, {TrainTimesteps}).");
        using var scope = NewDisposeScope();
        var drawn = randint(min, upper, [batchSize], ScalarType.Int64, CPU, generator: generator);
        return (device is null || device.type == DeviceType.CPU ? drawn : drawn.to(device)).MoveToOuterDisposeScope();
    }

    Tensor GatherFlat(Tensor timesteps)
    {
        var indices = timesteps.to_type(ScalarType.Int64).flatten();
        if (indices.numel() > 0)
        {
            var low = indices.min().item<long>();
            var high = indices.max().item<long>();
            if (low < 0 || high >= TrainTimesteps)
                throw new ArgumentOutOfRangeException(nameof(timesteps), $"Timesteps must lie in [0, {TrainTimesteps - 1}]; got values from {low} to {high}.");
        }
        var table = tensor(_alphasCumprod, ScalarType.Float32, indices.device);
        return table.index_select(0, indices);
    }

    Tensor Gather(Tensor timesteps, Tensor like)
    {
        var alpha = GatherFlat(timesteps).to(like.dtype);
        if (alpha.shape[0] != like.shape[0])
            throw new ArgumentException($"One timestep per sample is needed: {alpha.shape[0]} timesteps for a batch of {like.shape[0]}.", nameof(timesteps));
        var shape = new long[like.dim()];
        Array.Fill(shape, 1L);
        shape[0] = like.shape[0];
        return alpha.view(shape);
    }

    void CheckTimestep(int timestep)
    {
        if (timestep < 0 || timestep >= TrainTimesteps)
            throw new ArgumentOutOfRangeException(nameof(timestep), timestep, $"Timesteps run from 0 to {TrainTimesteps - 1}.");
    }
}
