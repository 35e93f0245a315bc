namespace SweepRunner.Core.Results;

/// <summary>
/// The score that counts for one scorer and one target: a preview, or, when <see cref="PreviewId"/> is null,
/// the job's LoRA of <see cref="Epoch"/> (the whole job, judged as its final LoRA, when that is null too).
/// Read per sweep, <see cref="Epoch"/> is the epoch the score judges: its own when it names one, else its
/// preview's; read per job, a preview score's epoch is left null (its preview names it).
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
