namespace SweepRunner.Core.Results;

/// <summary>A logged event; <see cref="SweepName"/> and <see cref="JobId"/> say what it concerns, when it concerns one.</summary>
public sealed record EventRecord(
    long EventId,
    DateTimeOffset OccurredAt,
    EventLevel Level,
    string Message,
    string? SweepName,
    string? JobId);
