using System.Text.Json;
using SweepRunner.Core.Results;
using SweepRunner.Core.Settings;

namespace SweepRunner.Core.Planning;

/// <summary>
/// Seconds per training step measured by earlier runs, for the planner's estimates: a job trained before
/// estimates at its own speed; otherwise the pooled speed of jobs that agree on the settings that set the cost
/// of a step (base model, resolution, batch size, network size, precision); otherwise none (the sweep's
/// steps_per_second).
/// </summary>
public sealed class MeasuredStepTimes
{
    /// <summary>The settings a step's cost depends on; learning rates, optimizers' scalars and seeds do not change it.</summary>
    public static readonly IReadOnlyList<string> CostKeys =
    [
        SettingsCatalog.BaseModel, SettingsCatalog.Resolution, SettingsCatalog.BatchSize, SettingsCatalog.NetworkDim,
        SettingsCatalog.MixedPrecision, SettingsCatalog.UnetOnly, SettingsCatalog.GradientAccumulation,
    ];

    private readonly Dictionary<string, double> _byJobSettings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (double Seconds, long Steps)> _byCost = new(StringComparer.Ordinal);

    private MeasuredStepTimes(IEnumerable<SpeedSample> samples)
    {
        foreach (var sample in samples)
        {
            if (sample.Steps <= 0) continue;
            using var settings = JsonDocument.Parse(sample.SettingsJson);
            _byJobSettings[Normalize(settings.RootElement)] = sample.TrainSeconds / sample.Steps;
            var cost = CostText(settings.RootElement);
            var (seconds, steps) = _byCost.GetValueOrDefault(cost);
            _byCost[cost] = (seconds + sample.TrainSeconds, steps + sample.Steps);
        }
    }

    /// <summary>The speeds of the succeeded attempts the store measured (its <c>GetSpeedSamplesAsync</c>).</summary>
    public static MeasuredStepTimes From(IEnumerable<SpeedSample> samples) => new(samples);

    /// <summary>Seconds per step for a job with these effective settings, or null when nothing comparable was measured.</summary>
    public double? SecondsPerStep(IReadOnlyDictionary<string, object?> settings)
    {
        // Called once per planned job: with nothing measured, skip the serialization (large grids plan 100k jobs).
        if (_byJobSettings.Count == 0) return null;
        using var json = JsonDocument.Parse(SettingsJson.Serialize(settings));
        if (_byJobSettings.TryGetValue(Normalize(json.RootElement), out var own)) return own;
        return _byCost.TryGetValue(CostText(json.RootElement), out var pooled) ? pooled.Seconds / pooled.Steps : null;
    }

    private static string Normalize(JsonElement settings) =>
        string.Join('\n', settings.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => p.Name + "=" + p.Value.GetRawText()));

    private static string CostText(JsonElement settings) =>
        string.Join('\n', CostKeys.Select(key => key + "=" + (settings.TryGetProperty(key, out var value) ? value.GetRawText() : "")));
}
