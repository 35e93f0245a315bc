namespace SweepRunner.Store.Model;

/// <summary>The score that counts for one scorer and one target: a preview, or the whole job when <see cref="PreviewId"/> is null.</summary>
public sealed record LatestScore(
    long ScoreId,
    string JobId,
    long? PreviewId,
    string Scorer,
    double Value,
    bool Blind,
    string? Note,
    DateTimeOffset ScoredAt);
