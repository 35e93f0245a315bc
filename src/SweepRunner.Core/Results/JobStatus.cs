namespace SweepRunner.Core.Results;

/// <summary>
/// One job of a sweep. <see cref="Progress"/> is the last logged step of the latest attempt over the total
/// steps (1 once succeeded). <see cref="Reason"/> is why a job that ended without succeeding ended: the first line of
/// its latest attempt's error text (null while it runs or once it succeeded).
/// </summary>
public sealed record JobStatus(
    string Label,
    string JobId,
    string? DuplicateOfLabel,
    JobState State,
    long LastStep,
    long TotalSteps,
    double Progress,
    double EstimatedSeconds,
    IReadOnlyList<AttemptDuration> Attempts,
    string? Reason = null)
{
    /// <summary>
    /// The step a diverged job diverged at (null for any other state): the step after the last one it logged, since the
    /// trainer records every step before the one whose loss or weights stopped being finite.
    /// </summary>
    public long? DivergedAtStep => State == JobState.Diverged ? LastStep + 1 : null;

    /// <summary>The loss on the validation set after the last validated epoch; null without one.</summary>
    public double? ValidationLoss { get; init; }

    /// <summary>The validated epoch with the lowest validation loss so far; null without one.</summary>
    public long? BestEpoch { get; init; }

    /// <summary>The job's automatic scores on its latest scored previews, per metric and model; empty without any.</summary>
    public IReadOnlyList<JobAutoScore> AutoScores { get; init; } = [];
}
