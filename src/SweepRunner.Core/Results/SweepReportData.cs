namespace SweepRunner.Core.Results;

/// <summary>
/// What a report of one sweep needs, read in one transaction: the export rows (settings, state, timings, each job's
/// score as <see cref="Scoring.ScorePolicy"/> makes it) and, for each job label in plan order, its previews, loss curve and failures.
/// </summary>
public sealed record SweepReportData(SweepExport Export, IReadOnlyList<JobReportDetail> Jobs);

/// <summary>
/// The details of one job label. Loss and train seconds come from the representative attempt (the latest
/// succeeded one, else the latest), as in the export.
/// </summary>
/// <param name="Outcome">The representative attempt's outcome; null when the job has no attempt or it still runs.</param>
/// <param name="Device">The device the representative attempt trained on ("cpu", "cuda:0", …); null without an attempt.</param>
/// <param name="ErrorText">The representative attempt's error text, if any.</param>
/// <param name="Failures">Every attempt of the job that ended otherwise than succeeded, oldest first.</param>
public sealed record JobReportDetail(
    string Label,
    string JobId,
    IReadOnlyList<ReportPreview> Previews,
    IReadOnlyList<LossPoint> Loss,
    double? TrainSeconds,
    string? Device,
    AttemptOutcome? Outcome,
    string? ErrorText,
    IReadOnlyList<AttemptFailure> Failures)
{
    /// <summary>The validation losses by epoch over the attempts up to the representative one; empty without a validation set.</summary>
    public IReadOnlyList<ValidationLoss> Validation { get; init; } = [];

    /// <summary>The epoch with the lowest validation loss (the earliest of equal ones); null without a validation loss.</summary>
    public long? BestEpoch => ValidationLoss.BestEpochOf(Validation);
}

/// <summary>A preview image; <see cref="RelativePath"/> is relative to the results folder, with '/' separators.</summary>
public sealed record ReportPreview(
    long PreviewId,
    long Epoch,
    int PromptIndex,
    string Prompt,
    long Seed,
    int Width,
    int Height,
    string RelativePath);

/// <summary>One logged training loss; null when the loss was not a number.</summary>
public sealed record LossPoint(long Step, long Epoch, double? Loss);

/// <summary>An attempt that did not succeed, and why.</summary>
public sealed record AttemptFailure(long AttemptId, AttemptOutcome Outcome, string? ErrorText, DateTimeOffset? EndedAt);
