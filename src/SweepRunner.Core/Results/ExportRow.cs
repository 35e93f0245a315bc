using SweepRunner.Core.Scoring;

namespace SweepRunner.Core.Results;

/// <summary>
/// One job of a sweep for export. Timings and final loss come from the job's latest succeeded attempt, or
/// its latest attempt when none succeeded. <see cref="Score"/> is the job's score as <see cref="ScorePolicy"/>
/// defines it, the same number the report and the scoring page show, with its pairwise rating.
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
    JobScore Score)
{
    /// <summary>The label of the first of the job's seed replicates; null when the sweep trains it with one seed.</summary>
    public string? ReplicateGroup { get; init; }

    /// <summary>Which seed replicate the label is, from 1.</summary>
    public int Replicate { get; init; } = 1;

    /// <summary>The mean of each scorer's counted scores.</summary>
    public IReadOnlyList<ScorerMean> Scores => Score.ByScorer;

    /// <summary>The job's score: the mean of its counted scores, null without any.</summary>
    public double? OverallScore => Score.Summary.Mean;
}
