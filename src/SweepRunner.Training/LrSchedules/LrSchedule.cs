using System.Globalization;
using SweepRunner.Core.Settings;

namespace SweepRunner.Training.LrSchedules;

/// <summary>
/// Learning-rate schedules as diffusers' get_scheduler builds them for sd-scripts (LambdaLR multipliers of each
/// group's initial rate, evaluated at the optimizer step about to be taken: step 0 first). The constant schedule
/// ignores warmup, as sd-scripts rejects warmup for it and SweepRunner treats lr_warmup_steps as inert there.
/// </summary>
public sealed record LrSchedule(string Name, long WarmupSteps, long TotalSteps, int NumCycles = 1, double Power = 1.0, double InitialLearningRate = 1e-4)
{
    /// <summary>diffusers' lr_end of the polynomial schedule.</summary>
    public const double PolynomialEnd = 1e-7;

    public static readonly IReadOnlyList<string> Names =
        ["constant", "constant_with_warmup", "cosine", "cosine_with_restarts", "linear", "polynomial"];

    /// <summary>The schedule of a job: lr_scheduler, lr_warmup_steps, lr_scheduler_num_cycles, lr_scheduler_power over <paramref name="totalSteps"/>.</summary>
    public static LrSchedule FromSettings(IReadOnlyDictionary<string, object?> settings, long totalSteps)
    {
        ArgumentNullException.ThrowIfNull(settings);
        object? Get(string key) => settings.GetValueOrDefault(key) ?? SettingsCatalog.Get(key).Default;
        var schedule = new LrSchedule(
            (string)Get(SettingsCatalog.LrScheduler)!,
            Convert.ToInt64(Get(SettingsCatalog.LrWarmupSteps), CultureInfo.InvariantCulture),
            totalSteps,
            Convert.ToInt32(Get(SettingsCatalog.LrCycles), CultureInfo.InvariantCulture),
            Convert.ToDouble(Get(SettingsCatalog.LrPower), CultureInfo.InvariantCulture),
            Convert.ToDouble(Get(SettingsCatalog.LearningRate), CultureInfo.InvariantCulture));
        schedule.Validate();
        return schedule;
    }

    /// <summary>Throws with the setting's name when the schedule cannot run.</summary>
    public void Validate()
    {
        if (!Names.Contains(Name))
            throw new ArgumentException($"lr_scheduler '{Name}' is not supported; use one of {string.Join(", ", Names)}.");
        if (WarmupSteps < 0) throw new ArgumentOutOfRangeException(nameof(WarmupSteps), WarmupSteps, "lr_warmup_steps must be 0 or more.");
        if (TotalSteps < 1) throw new ArgumentOutOfRangeException(nameof(TotalSteps), TotalSteps, "A schedule needs at least one step.");
        if (NumCycles < 1) throw new ArgumentOutOfRangeException(nameof(NumCycles), NumCycles, "lr_scheduler_num_cycles must be at least 1.");
        if (Name == "polynomial" && !(InitialLearningRate > PolynomialEnd))
            throw new ArgumentException($"The polynomial schedule decays to {PolynomialEnd}; learning_rate ({InitialLearningRate}) must be larger.");
    }

    /// <summary>The multiplier of each group's learning rate at optimizer step <paramref name="step"/> (0-based).</summary>
    public double Multiplier(long step)
    {
        if (Name == "constant") return 1.0;
        if (step < WarmupSteps) return (double)step / Math.Max(1, WarmupSteps);
        switch (Name)
        {
            case "constant_with_warmup":
                return 1.0;
            case "linear":
                return Math.Max(0.0, (double)(TotalSteps - step) / Math.Max(1, TotalSteps - WarmupSteps));
            case "cosine":
            {
                var progress = Progress(step);
                return Math.Max(0.0, 0.5 * (1.0 + Math.Cos(Math.PI * 0.5 * 2.0 * progress)));
            }
            case "cosine_with_restarts":
            {
                var progress = Progress(step);
                if (progress >= 1.0) return 0.0;
                return Math.Max(0.0, 0.5 * (1.0 + Math.Cos(Math.PI * (NumCycles * progress % 1.0))));
            }
            case "polynomial":
            {
                if (step > TotalSteps) return PolynomialEnd / InitialLearningRate;
                var range = InitialLearningRate - PolynomialEnd;
                var decaySteps = TotalSteps - WarmupSteps;
                var remaining = 1.0 - (double)(step - WarmupSteps) / decaySteps;
                return (range * Math.Pow(remaining, Power) + PolynomialEnd) / InitialLearningRate;
            }
            default:
                throw new InvalidOperationException($"lr_scheduler '{Name}' is not supported.");
        }
    }

    /// <summary>The learning rate of a group that starts at <paramref name="groupLearningRate"/>, at <paramref name="step"/>.</summary>
    public double LearningRate(double groupLearningRate, long step) => groupLearningRate * Multiplier(step);

    double Progress(long step) => (double)(step - WarmupSteps) / Math.Max(1, TotalSteps - WarmupSteps);
}
