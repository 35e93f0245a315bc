namespace SweepRunner.Core.Results;

/// <summary>An attempt whose process stopped sending heartbeats and that was therefore marked interrupted.</summary>
public sealed record StaleAttempt(long AttemptId, string JobId, DateTimeOffset LastHeartbeatAt);
