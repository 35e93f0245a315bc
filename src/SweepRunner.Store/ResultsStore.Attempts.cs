using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using SweepRunner.Core.Results;
using SweepRunner.Store.Time;

namespace SweepRunner.Store;

/// <summary>Attempts at training a job: start, heartbeat, finish, and marking the ones whose process died.</summary>
public sealed partial class ResultsStore
{
    private const string JobExistsSql = "SELECT count(*) FROM jobs WHERE id = @JobId;";

    private const string InsertAttemptSql =
        """
        INSERT INTO attempts (job_id, started_at, heartbeat_at, host, pid, device, resumed_from_step)
        VALUES (@JobId, @Now, @Now, @Host, @ProcessId, @Device, @ResumedFromStep)
        RETURNING id;
        """;

    private const string MarkJobRunningSql =
        "UPDATE jobs SET state = 'running', updated_at = @Now WHERE id = @JobId;";

    private const string HeartbeatSql =
        "UPDATE attempts SET heartbeat_at = @Now WHERE id = @AttemptId AND ended_at IS NULL;";

    private const string FinishAttemptSql =
        """
        UPDATE attempts SET ended_at = @Now, heartbeat_at = @Now, outcome = @Outcome, error_text = @ErrorText
        WHERE id = @AttemptId AND ended_at IS NULL
        RETURNING job_id;
        """;

    private const string AttemptEndSql = "SELECT outcome FROM attempts WHERE id = @AttemptId;";

    // The job takes the outcome of its latest attempt only: an older attempt ending late does not overrule a newer one.
    private const string JobTakesOutcomeSql =
        """
        UPDATE jobs SET state = @Outcome, updated_at = @Now
        WHERE id = @JobId
          AND NOT EXISTS (SELECT 1 FROM attempts later WHERE later.job_id = @JobId AND later.id > @AttemptId);
        """;

    private const string UpsertTimingsSql =
        """
        INSERT INTO timings (attempt_id, load_seconds, cache_seconds, train_seconds, sample_seconds, save_seconds)
        VALUES (@AttemptId, @LoadSeconds, @CacheSeconds, @TrainSeconds, @SampleSeconds, @SaveSeconds)
        ON CONFLICT (attempt_id) DO UPDATE SET
            load_seconds   = excluded.load_seconds,
            cache_seconds  = excluded.cache_seconds,
            train_seconds  = excluded.train_seconds,
            sample_seconds = excluded.sample_seconds,
            save_seconds   = excluded.save_seconds;
        """;

    private const string MarkStaleAttemptsSql =
        """
        UPDATE attempts
        SET ended_at = @Now, outcome = 'interrupted',
            error_text = 'no heartbeat since ' || heartbeat_at || '; the process is presumed dead'
        WHERE ended_at IS NULL AND heartbeat_at < @Cutoff AND (@ExceptHost IS NULL OR host <> @ExceptHost)
        RETURNING id AS AttemptId, job_id AS JobId, heartbeat_at AS HeartbeatAt;
        """;

    private const string InterruptJobsWithoutOpenAttemptsSql =
        """
        UPDATE jobs SET state = 'interrupted', updated_at = @Now
        WHERE state = 'running'
          AND id IN (SELECT value FROM json_each(@JobIdsJson))
          AND NOT EXISTS (SELECT 1 FROM attempts open WHERE open.job_id = jobs.id AND open.ended_at IS NULL);
        """;

    private const string AttemptsOfJobSql =
        """
        SELECT a.id AS AttemptId, a.job_id AS JobId, a.host AS Host, a.pid AS ProcessId, a.device AS Device,
               a.resumed_from_step AS ResumedFromStep, a.started_at AS StartedAt, a.heartbeat_at AS HeartbeatAt,
               a.ended_at AS EndedAt, a.outcome AS Outcome, a.error_text AS ErrorText,
               t.attempt_id IS NOT NULL AS HasTimings, t.load_seconds AS LoadSeconds, t.cache_seconds AS CacheSeconds,
               t.train_seconds AS TrainSeconds, t.sample_seconds AS SampleSeconds, t.save_seconds AS SaveSeconds
        FROM attempts a
        LEFT JOIN timings t ON t.attempt_id = a.id
        WHERE a.job_id = @JobId
        ORDER BY a.id;
        """;

    /// <summary>Records that a process starts training a job; the job becomes running. Returns the attempt id.</summary>
    public Task<long> StartAttemptAsync(AttemptStart start, CancellationToken cancellationToken = default)
    {
        if (start.ResumedFromStep < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(start), start.ResumedFromStep, "an attempt cannot resume from a negative step");
        }

        return WriteAsync(
            async (connection, transaction, token) =>
            {
                await RequireJobAsync(connection, transaction, start.JobId, token);
                var now = Now();
                var attemptId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    InsertAttemptSql,
                    new { start.JobId, Now = now, start.Host, start.ProcessId, start.Device, start.ResumedFromStep },
                    transaction,
                    cancellationToken: token));
                await connection.ExecuteAsync(new CommandDefinition(
                    MarkJobRunningSql, new { start.JobId, Now = now }, transaction, cancellationToken: token));
                return attemptId;
            },
            cancellationToken);
    }

    /// <summary>
    /// Tells that the attempt's process is alive. Returns false when the attempt has already ended, for
    /// example because another process marked it interrupted after missing heartbeats.
    /// </summary>
    public Task<bool> HeartbeatAsync(long attemptId, CancellationToken cancellationToken = default) =>
        WriteAsync(
            async (connection, transaction, token) => await connection.ExecuteAsync(new CommandDefinition(
                HeartbeatSql, new { AttemptId = attemptId, Now = Now() }, transaction, cancellationToken: token)) == 1,
            cancellationToken);

    /// <summary>
    /// Ends an attempt with its outcome, error text and phase timings, all in one transaction; the job takes the
    /// outcome as its state unless a newer attempt of it exists.
    /// </summary>
    public Task FinishAttemptAsync(
        long attemptId,
        AttemptOutcome outcome,
        string? errorText = null,
        PhaseTimings? timings = null,
        CancellationToken cancellationToken = default) =>
        WriteAsync(
            async (connection, transaction, token) =>
            {
                var now = Now();
                var outcomeText = StoredNames.Of(outcome);
                var jobId = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
                    FinishAttemptSql, new { AttemptId = attemptId, Now = now, Outcome = outcomeText, ErrorText = errorText }, transaction, cancellationToken: token));
                if (jobId is null)
                {
                    var endedAs = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
                        AttemptEndSql, new { AttemptId = attemptId }, transaction, cancellationToken: token));
                    throw new ResultsStoreException(endedAs is null
                        ? $"{DatabasePath}: no attempt with id {attemptId}."
                        : $"{DatabasePath}: attempt {attemptId} has already ended as '{endedAs}'; start a new attempt to train the job again.");
                }

                if (timings is not null)
                {
                    await UpsertTimingsAsync(connection, transaction, attemptId, timings, token);
                }

                await connection.ExecuteAsync(new CommandDefinition(
                    JobTakesOutcomeSql, new { JobId = jobId, AttemptId = attemptId, Outcome = outcomeText, Now = now }, transaction, cancellationToken: token));
                return jobId;
            },
            cancellationToken);

    /// <summary>
    /// Ends every running attempt whose last heartbeat is older than <paramref name="olderThan"/> as interrupted,
    /// and sets their jobs to interrupted when no other attempt of them is still open.
    /// </summary>
    /// <param name="exceptHost">Leave attempts of this host alone (the caller can tell whether they live better than a heartbeat can).</param>
    public Task<IReadOnlyList<StaleAttempt>> MarkStaleAttemptsInterruptedAsync(TimeSpan olderThan, string? exceptHost = null, CancellationToken cancellationToken = default)
    {
        if (olderThan <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(olderThan), olderThan, "the heartbeat age must be positive");
        }

        return WriteAsync<IReadOnlyList<StaleAttempt>>(
            async (connection, transaction, token) =>
            {
                var now = _time.GetUtcNow();
                var nowText = UtcText.From(now);
                var stale = (await connection.QueryAsync<StaleAttemptRow>(new CommandDefinition(
                    MarkStaleAttemptsSql, new { Now = nowText, Cutoff = UtcText.From(now - olderThan), ExceptHost = exceptHost }, transaction, cancellationToken: token))).ToList();
                if (stale.Count > 0)
                {
                    var jobIdsJson = JsonSerializer.Serialize(stale.Select(row => row.JobId).Distinct());
                    await connection.ExecuteAsync(new CommandDefinition(
                        InterruptJobsWithoutOpenAttemptsSql, new { JobIdsJson = jobIdsJson, Now = nowText }, transaction, cancellationToken: token));
                }

                return stale
                    .OrderBy(row => row.AttemptId)
                    .Select(row => new StaleAttempt(row.AttemptId, row.JobId, UtcText.Parse(row.HeartbeatAt)))
                    .ToList();
            },
            cancellationToken);
    }

    /// <summary>Every attempt of a job, oldest first, with its timings when recorded.</summary>
    public Task<IReadOnlyList<AttemptRecord>> GetAttemptsAsync(string jobId, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<AttemptRecord>>(
            async (connection, transaction, token) =>
            {
                var rows = await connection.QueryAsync<AttemptRow>(new CommandDefinition(
                    AttemptsOfJobSql, new { JobId = jobId }, transaction, cancellationToken: token));
                return rows.Select(row => row.ToRecord()).ToList();
            },
            cancellationToken);

    private static async Task UpsertTimingsAsync(SqliteConnection connection, SqliteTransaction transaction, long attemptId, PhaseTimings timings, CancellationToken cancellationToken) =>
        await connection.ExecuteAsync(new CommandDefinition(
            UpsertTimingsSql,
            new { AttemptId = attemptId, timings.LoadSeconds, timings.CacheSeconds, timings.TrainSeconds, timings.SampleSeconds, timings.SaveSeconds },
            transaction,
            cancellationToken: cancellationToken));

    private async Task RequireJobAsync(SqliteConnection connection, SqliteTransaction transaction, string jobId, CancellationToken cancellationToken)
    {
        var exists = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            JobExistsSql, new { JobId = jobId }, transaction, cancellationToken: cancellationToken));
        if (exists == 0)
        {
            throw UnknownJob(jobId);
        }
    }

    private sealed class StaleAttemptRow
    {
        public long AttemptId { get; init; }

        public string JobId { get; init; } = "";

        public string HeartbeatAt { get; init; } = "";
    }

    private sealed class AttemptRow
    {
        public long AttemptId { get; init; }

        public string JobId { get; init; } = "";

        public string Host { get; init; } = "";

        public long ProcessId { get; init; }

        public string Device { get; init; } = "";

        public long ResumedFromStep { get; init; }

        public string StartedAt { get; init; } = "";

        public string HeartbeatAt { get; init; } = "";

        public string? EndedAt { get; init; }

        public string? Outcome { get; init; }

        public string? ErrorText { get; init; }

        public bool HasTimings { get; init; }

        public double LoadSeconds { get; init; }

        public double CacheSeconds { get; init; }

        public double TrainSeconds { get; init; }

        public double SampleSeconds { get; init; }

        public double SaveSeconds { get; init; }

        public AttemptRecord ToRecord() => new(
            AttemptId,
            JobId,
            Host,
            (int)ProcessId,
            Device,
            ResumedFromStep,
            UtcText.Parse(StartedAt),
            UtcText.Parse(HeartbeatAt),
            UtcText.ParseOptional(EndedAt),
            Outcome is null ? null : StoredNames.ParseOutcome(Outcome),
            ErrorText,
            HasTimings ? new PhaseTimings(LoadSeconds, CacheSeconds, TrainSeconds, SampleSeconds, SaveSeconds) : null);
    }
}
