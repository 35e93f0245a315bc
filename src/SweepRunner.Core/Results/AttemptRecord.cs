namespace SweepRunner.Core.Results;

/// <summary>An attempt as stored. <see cref="Outcome"/> and <see cref="EndedAt"/> are null while it runs.</summary>
public sealed record AttemptRecord(
    long AttemptId,
    string JobId,
    string Host,
    int ProcessId,
    string Device,
    long ResumedFromStep,
    DateTimeOffset StartedAt,
    DateTimeOffset HeartbeatAt,
    DateTimeOffset? EndedAt,
    AttemptOutcome? Outcome,
    string? ErrorText,
    PhaseTimings? Timings);
