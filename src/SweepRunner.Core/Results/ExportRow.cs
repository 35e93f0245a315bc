namespace SweepRunner.Core.Results;

/// <summary>
/// One job of a sweep for export. Timings and final loss come from the job's latest succeeded attempt, or
/// its latest attempt when none succeeded. <see cref="OverallScore"/> is the mean of the per-scorer means,
/// so every scorer weighs the same.
/// </summary>
public sealed record ExportRow(
    string Label,
    string JobId,
    string? DuplicateOfLabel,
    JobState State,
    string SettingsJson,
    string DiffJson,
    long StepsPerEpoch,
    long TotalSteps,
    double EstimatedSeconds,
    int Attempts,
    PhaseTimings? Timings,
    long? FinalStep,
    double? FinalLoss,
    IReadOnlyList<ScorerMean> Scores,
    double? OverallScore);
