using Dapper;
using Microsoft.Data.Sqlite;
using SweepRunner.Core.Results;

namespace SweepRunner.Store;

/// <summary>Reads, in one transaction, what status and export both need about a sweep's jobs.</summary>
public sealed partial class ResultsStore
{
    private const string SweepEntriesSql =
        """
        SELECT sj.label AS Label, sj.job_id AS JobId, sj.duplicate_of_label AS DuplicateOfLabel, sj.diff_json AS DiffJson,
               sj.estimated_seconds AS EstimatedSeconds, j.settings_json AS SettingsJson, j.state AS State,
               j.steps_per_epoch AS StepsPerEpoch, j.total_steps AS TotalSteps,
               sj.replicate_group AS ReplicateGroup, sj.replicate_index AS Replicate
        FROM sweep_jobs sj
        JOIN jobs j ON j.id = sj.job_id
        WHERE sj.sweep_id = @SweepId
        ORDER BY sj.position;
        """;

    private const string AttemptsOfSweepSql =
        """
        SELECT a.id AS AttemptId, a.job_id AS JobId, a.host AS Host, a.pid AS ProcessId, a.device AS Device,
               a.resumed_from_step AS ResumedFromStep, a.started_at AS StartedAt, a.heartbeat_at AS HeartbeatAt,
               a.ended_at AS EndedAt, a.outcome AS Outcome, a.error_text AS ErrorText,
               t.attempt_id IS NOT NULL AS HasTimings, t.load_seconds AS LoadSeconds, t.cache_seconds AS CacheSeconds,
               t.train_seconds AS TrainSeconds, t.sample_seconds AS SampleSeconds, t.save_seconds AS SaveSeconds
        FROM attempts a
        LEFT JOIN timings t ON t.attempt_id = a.id
        WHERE a.job_id IN (SELECT job_id FROM sweep_jobs WHERE sweep_id = @SweepId)
        ORDER BY a.id;
        """;

    private const string LastMetricOfSweepAttemptsSql =
        """
        SELECT m.attempt_id AS AttemptId, m.step AS Step, m.loss AS Loss
        FROM metrics m
        JOIN (
            SELECT attempt_id, max(step) AS step
            FROM metrics
            WHERE attempt_id IN (
                SELECT a.id FROM attempts a
                WHERE a.job_id IN (SELECT job_id FROM sweep_jobs WHERE sweep_id = @SweepId))
            GROUP BY attempt_id
        ) last ON last.attempt_id = m.attempt_id AND last.step = m.step;
        """;

    private const string ValidationOfSweepAttemptsSql =
        """
        SELECT attempt_id AS AttemptId, epoch AS Epoch, step AS Step, loss AS Loss, images AS Images
        FROM validation_losses
        WHERE attempt_id IN (
            SELECT a.id FROM attempts a
            WHERE a.job_id IN (SELECT job_id FROM sweep_jobs WHERE sweep_id = @SweepId))
        ORDER BY attempt_id, epoch;
        """;

    private async Task<SweepSnapshot> ReadSweepSnapshotAsync(
        SqliteConnection connection, SqliteTransaction transaction, string sweepName, CancellationToken cancellationToken)
    {
        var sweep = await FindSweepAsync(connection, transaction, sweepName, cancellationToken);
        var parameters = new { SweepId = sweep.Id };
        var entries = (await connection.QueryAsync<SweepEntryRow>(new CommandDefinition(
            SweepEntriesSql, parameters, transaction, cancellationToken: cancellationToken))).ToList();
        var attempts = (await connection.QueryAsync<AttemptRow>(new CommandDefinition(
            AttemptsOfSweepSql, parameters, transaction, cancellationToken: cancellationToken))).Select(row => row.ToRecord()).ToList();
        var lastMetrics = (await connection.QueryAsync<LastMetricRow>(new CommandDefinition(
            LastMetricOfSweepAttemptsSql, parameters, transaction, cancellationToken: cancellationToken))).ToDictionary(row => row.AttemptId);
        var validation = (await connection.QueryAsync<ValidationRow>(new CommandDefinition(
            ValidationOfSweepAttemptsSql, parameters, transaction, cancellationToken: cancellationToken))).ToLookup(row => row.AttemptId);
        var autoScores = (await ReadAutoScoresAsync(connection, transaction, sweep.Id, cancellationToken)).ToLookup(row => row.JobId, StringComparer.Ordinal);

        return new SweepSnapshot(
            sweep,
            entries,
            attempts.ToLookup(attempt => attempt.JobId, StringComparer.Ordinal),
            lastMetrics,
            validation,
            autoScores);
    }

    private sealed record SweepSnapshot(
        SweepRow Sweep,
        IReadOnlyList<SweepEntryRow> Entries,
        ILookup<string, AttemptRecord> AttemptsByJob,
        IReadOnlyDictionary<long, LastMetricRow> LastMetricByAttempt,
        ILookup<long, ValidationRow> ValidationByAttempt,
        ILookup<string, AutoScoreRow> AutoScoresByJob)
    {
        /// <summary>
        /// The job's attempts up to its representative one, oldest first: a resumed attempt logs only what came after its
        /// resume point, and a job that continues another has the shared part in its first attempt. Empty without an attempt.
        /// </summary>
        public IReadOnlyList<long> HistoryAttempts(string jobId) =>
            RepresentativeAttempt(jobId) is { } representative
                ? AttemptsByJob[jobId].Where(a => a.AttemptId <= representative.AttemptId).Select(a => a.AttemptId).ToList()
                : [];

        /// <summary>The job's validation losses by epoch over <see cref="HistoryAttempts"/>; where two attempts validated an epoch, the later one's.</summary>
        public IReadOnlyList<ValidationLoss> ValidationHistory(string jobId)
        {
            var history = HistoryAttempts(jobId).SelectMany(id => ValidationByAttempt[id]).GroupBy(row => row.Epoch).Select(epoch => epoch.MaxBy(row => row.AttemptId)!)
                .OrderBy(row => row.Epoch).Select(row => new ValidationLoss(row.Epoch, row.Step, row.Loss, (int)row.Images)).ToArray();
            // The shared empty array: rows of jobs without a validation set stay equal as records.
            return history.Length == 0 ? Array.Empty<ValidationLoss>() : history;
        }

        /// <summary>The attempt whose results represent the job: its latest succeeded attempt, else its latest.</summary>
        public AttemptRecord? RepresentativeAttempt(string jobId)
        {
            var attempts = AttemptsByJob[jobId].ToList();
            return attempts.LastOrDefault(attempt => attempt.Outcome == AttemptOutcome.Succeeded) ?? attempts.LastOrDefault();
        }
    }

    private sealed class SweepEntryRow
    {
        public string Label { get; init; } = "";

        public string JobId { get; init; } = "";

        public string? DuplicateOfLabel { get; init; }

        public string DiffJson { get; init; } = "";

        public double EstimatedSeconds { get; init; }

        public string SettingsJson { get; init; } = "";

        public string State { get; init; } = "";

        public long StepsPerEpoch { get; init; }

        public long TotalSteps { get; init; }

        public string? ReplicateGroup { get; init; }

        public long Replicate { get; init; } = 1;
    }

    private sealed class LastMetricRow
    {
        public long AttemptId { get; init; }

        public long Step { get; init; }

        public double? Loss { get; init; }
    }
}
