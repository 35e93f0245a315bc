namespace SweepRunner.Core.Results;

/// <summary>
/// A sweep's jobs and its totals. Counts are of distinct jobs to train: a label marked as a duplicate of
/// another, or sharing its job id, is not counted twice. Done jobs succeeded, failed, diverged or timed out;
/// remaining jobs are planned, running or interrupted.
/// </summary>
public sealed record SweepStatus(
    string Name,
    string SourceFile,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<JobStatus> Jobs,
    int DoneJobs,
    int SucceededJobs,
    int RemainingJobs,
    TimeSpan RemainingTime,
    DateTimeOffset? EstimatedCompletion,
    EtaBasis EtaBasis);
