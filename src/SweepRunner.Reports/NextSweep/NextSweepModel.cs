namespace SweepRunner.Reports.NextSweep;

/// <summary>What <c>sweeprunner next</c> does with one varied setting of the sweep that ran.</summary>
public enum NextChoice
{
    /// <summary>A level is clearly or likely better, and there is nothing between levels to try: the base takes it and the setting is no longer swept.</summary>
    Decided,

    /// <summary>A numeric setting with a clear or likely best: the base takes it and it is swept again around it, between its neighbours.</summary>
    Refined,

    /// <summary>No level stood out: swept again with the same levels and more seeds.</summary>
    Replicated,

    /// <summary>Nothing to judge yet (no or too few scores): swept again as it was.</summary>
    Kept,

    /// <summary>Every level trained the same LoRA as another job: dropped.</summary>
    Dropped,
}

/// <summary>One varied setting's part in the next sweep.</summary>
/// <param name="Keys">The sd-scripts keys that varied together.</param>
/// <param name="Levels">The values to sweep (each a value per key), the base's own left out; empty when not swept.</param>
/// <param name="BaseValues">The base's value per key in the next sweep; empty for a dropped setting (the base keeps its own).</param>
/// <param name="Replicates">The seeds per job the setting needs in the next sweep; 1 for one seed.</param>
/// <param name="Reason">
/// Why, with the numbers the choice rests on (each level's mean and n, the gap in points and standard errors, the
/// verdict): written as comment lines above the line it explains, one per text line.
/// </param>
public sealed record NextSetting(
    IReadOnlyList<string> Keys,
    NextChoice Choice,
    IReadOnlyList<IReadOnlyList<object?>> Levels,
    IReadOnlyDictionary<string, object?> BaseValues,
    int Replicates,
    string Reason)
{
    /// <summary>"learning_rate", or "network_dim + network_alpha" for settings varied together.</summary>
    public string Name => string.Join(" + ", Keys);
}

/// <summary>The next sweep: the old base with its changes, and the settings to sweep, each with why.</summary>
/// <param name="Base">The next sweep's base settings by key (the old ones, moved where a verdict says so).</param>
/// <param name="MovedBase">The base keys that moved, with why.</param>
/// <param name="Replicates">
/// Seeds per job of the whole next sweep (its top-level <c>replicates:</c>): the most any setting needs, and never fewer
/// than the sweep had. One count for every job, because a verdict over seeds compares each level's seeds with the
/// baseline's, and there is one baseline.
/// </param>
/// <param name="ReplicatesReason">Why the next sweep has that many seeds; null when it has one, as the sweep had.</param>
public sealed record NextSweepPlan(
    string Name,
    IReadOnlyDictionary<string, object?> Base,
    IReadOnlyDictionary<string, string> MovedBase,
    IReadOnlyList<NextSetting> Settings,
    int Replicates,
    string? ReplicatesReason);
