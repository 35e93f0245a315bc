namespace SweepRunner.Core.Results;

/// <summary>How long one attempt ran (until now when it still runs).</summary>
public sealed record AttemptDuration(
    long AttemptId,
    string Device,
    DateTimeOffset StartedAt,
    TimeSpan Duration,
    AttemptOutcome? Outcome);
