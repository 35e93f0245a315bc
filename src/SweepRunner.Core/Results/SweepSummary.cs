namespace SweepRunner.Core.Results;

/// <summary>A sweep in the database, without its jobs.</summary>
public sealed record SweepSummary(
    string Name,
    string SourceFile,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    int JobCount);
