using SweepRunner.Core.Results;
using SweepRunner.Store.Time;

namespace SweepRunner.Store;

/// <summary>A sweep's progress: each job's state, progress and attempt durations, and the sweep's counts and ETA.</summary>
public sealed partial class ResultsStore
{
    private static readonly HashSet<JobState> DoneStates = [JobState.Succeeded, JobState.Failed, JobState.Diverged, JobState.TimedOut];

    /// <summary>
    /// The status of a sweep. The remaining time is the planner's estimate for what is left of each remaining
    /// job, scaled by measured speed: the ratio of real to estimated time over the sweep's succeeded jobs.
    /// </summary>
    public Task<SweepStatus> GetSweepStatusAsync(string sweepName, CancellationToken cancellationToken = default) =>
        ReadAsync(
            async (connection, transaction, token) =>
            {
                var snapshot = await ReadSweepSnapshotAsync(connection, transaction, sweepName, token);
                return BuildStatus(snapshot, _time.GetUtcNow());
            },
            cancellationToken);

    private static SweepStatus BuildStatus(SweepSnapshot snapshot, DateTimeOffset now)
    {
        var jobs = snapshot.Entries.Select(entry => BuildJobStatus(snapshot, entry, now)).ToList();

        // Work to do is counted once per distinct job; labels marked as duplicates are not trained on their own.
        var work = jobs.Where(job => job.DuplicateOfLabel is null).DistinctBy(job => job.JobId).ToList();
        var done = work.Where(job => DoneStates.Contains(job.State)).ToList();
        var remaining = work.Where(job => !DoneStates.Contains(job.State)).ToList();

        var measuredSeconds = 0.0;
        var estimatedSeconds = 0.0;
        foreach (var job in done.Where(job => job.State == JobState.Succeeded))
        {
            if (snapshot.RepresentativeAttempt(job.JobId)?.Timings is { } timings)
            {
                measuredSeconds += timings.TotalSeconds;
                estimatedSeconds += job.EstimatedSeconds;
            }
        }

        var measured = estimatedSeconds > 0;
        var scale = measured ? measuredSeconds / estimatedSeconds : 1.0;
        var remainingSeconds = remaining.Sum(job => job.EstimatedSeconds * (1 - job.Progress) * scale);
        var remainingTime = TimeSpan.FromSeconds(remainingSeconds);
        var basis = remaining.Count == 0 ? EtaBasis.Finished : measured ? EtaBasis.MeasuredSpeed : EtaBasis.Estimate;

        return new SweepStatus(
            snapshot.Sweep.Name,
            snapshot.Sweep.SourceFile,
            UtcText.Parse(snapshot.Sweep.UpdatedAt),
            jobs,
            done.Count,
            done.Count(job => job.State == JobState.Succeeded),
            remaining.Count,
            remainingTime,
            remaining.Count == 0 ? null : now + remainingTime,
            basis);
    }

    private static JobStatus BuildJobStatus(SweepSnapshot snapshot, SweepEntryRow entry, DateTimeOffset now)
    {
        var state = StoredNames.ParseJobState(entry.State);
        var attempts = snapshot.AttemptsByJob[entry.JobId].ToList();
        var latest = attempts.LastOrDefault();
        var lastStep = latest is null
            ? 0
            : snapshot.LastMetricByAttempt.TryGetValue(latest.AttemptId, out var metric) ? metric.Step : latest.ResumedFromStep;
        var progress = state == JobState.Succeeded ? 1.0
            : entry.TotalSteps <= 0 ? 0.0
            : Math.Clamp((double)lastStep / entry.TotalSteps, 0.0, 1.0);

        // Why it ended: the latest attempt's error, when that attempt ended without succeeding and the job is not running again.
        var reason = state is not (JobState.Running or JobState.Succeeded) && latest is { Outcome: { } outcome } && outcome != AttemptOutcome.Succeeded
            ? FirstLineOf(latest.ErrorText)
            : null;

        var validation = snapshot.ValidationHistory(entry.JobId);
        return new JobStatus(
            entry.Label,
            entry.JobId,
            entry.DuplicateOfLabel,
            state,
            lastStep,
            entry.TotalSteps,
            progress,
            entry.EstimatedSeconds,
            attempts.Select(attempt => new AttemptDuration(
                attempt.AttemptId,
                attempt.Device,
                attempt.StartedAt,
                (attempt.EndedAt ?? now) - attempt.StartedAt,
                attempt.Outcome)).ToList(),
            reason)
        {
            ValidationLoss = validation.Count == 0 ? null : validation[^1].Loss,
            BestEpoch = ValidationLoss.BestEpochOf(validation),
            AutoScores = JobAutoScoresOf(snapshot.AutoScoresByJob[entry.JobId], null),
        };
    }

    private static string? FirstLineOf(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : text.Split('\n', 2)[0].TrimEnd('\r');
}
