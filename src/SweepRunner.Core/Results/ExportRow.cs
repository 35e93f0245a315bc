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

    /// <summary>The validation losses by epoch over the attempts up to the representative one; empty without a validation set.</summary>
    public IReadOnlyList<ValidationLoss> Validation { get; init; } = [];

    /// <summary>The validation loss after the last validated epoch; null without one.</summary>
    public double? FinalValidationLoss => Validation.Count == 0 ? null : Validation[^1].Loss;

    /// <summary>The epoch with the lowest validation loss (the earliest of equal ones); null without a validation loss.</summary>
    public long? BestEpoch => ValidationLoss.BestEpochOf(Validation);

    /// <summary>The job's automatic scores per metric and model, on the previews of its scored epoch (else its latest); empty without any.</summary>
    public IReadOnlyList<JobAutoScore> AutoScores { get; init; } = [];

    /// <summary>The mean of each scorer's counted scores.</summary>
    public IReadOnlyList<ScorerMean> Scores => Score.ByScorer;

    /// <summary>The job's score: the mean of its counted scores, null without any.</summary>
    public double? OverallScore => Score.Summary.Mean;
}
