namespace SweepRunner.Reports.NextSweep;

/// <summary>What <c>sweeprunner next</c> does with one varied setting of the sweep that ran.</summary>
public enum NextChoice
{
    /// <summary>A level is clearly or likely better, and the setting is not numeric: the base takes it and the setting is no longer swept.</summary>
    Decided,

    /// <summary>A numeric setting with a clear or likely best: swept again around the best, between its neighbours.</summary>
    Refined,

    /// <summary>No level stood out: swept again with the same levels and more seeds.</summary>
    Replicated,

    /// <summary>Nothing to judge yet (no or too few scores): swept again as it was.</summary>
    Kept,

    /// <summary>Every level trained the same LoRA as the baseline: dropped.</summary>
    Dropped,
}

/// <summary>One varied setting's part in the next sweep.</summary>
/// <param name="Keys">The sd-scripts keys that varied together.</param>
/// <param name="Levels">The values to sweep (each a value per key), the base's own left out; empty when not swept.</param>
/// <param name="BaseValues">The base's value per key in the next sweep.</param>
/// <param name="Replicates">Seeds per job of its block; 1 for one seed.</param>
/// <param name="Reason">Why, with the numbers the choice rests on: written as a comment above it.</param>
public sealed record NextSetting(
    IReadOnlyList<string> Keys,
    NextChoice Choice,
    IReadOnlyList<IReadOnlyList<object?>> Levels,
    IReadOnlyDictionary<string, object?> BaseValues,
    int Replicates,
    string Reason);

/// <summary>The next sweep: the old base with its changes, and the settings to sweep, each with why.</summary>
/// <param name="Base">The next sweep's base settings by key (the old ones, moved where a verdict says so).</param>
/// <param name="MovedBase">The base keys that moved, with why.</param>
public sealed record NextSweepPlan(
    string Name,
    IReadOnlyDictionary<string, object?> Base,
    IReadOnlyDictionary<string, string> MovedBase,
    IReadOnlyList<NextSetting> Settings);
