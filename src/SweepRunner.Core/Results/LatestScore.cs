namespace SweepRunner.Core.Results;

/// <summary>
/// The score that counts for one scorer and one target: a preview, or, when <see cref="PreviewId"/> is null,
/// the job's LoRA of <see cref="Epoch"/> (the whole job when that is null too).
/// </summary>
public sealed record LatestScore(
    long ScoreId,
    string JobId,
    long? PreviewId,
    long? Epoch,
    string Scorer,
    double Value,
    bool Blind,
    string? Note,
    DateTimeOffset ScoredAt);
