using Dapper;
using SweepRunner.Core.Planning;

namespace SweepRunner.Store;

/// <summary>
/// Jobs that continue shorter ones (migration 0009): which finished runs a new plan may continue, whether a finished
/// job's final training state is still wanted, and the shared history a continuing job takes over.
/// </summary>
public sealed partial class ResultsStore
{
    // A job's spec in any sweep carries its prefix key; a succeeded job with one may be continued.
    private const string EarlierRunsSql =
        """
        SELECT js.job_id AS JobId, js.label AS Label, s.name AS Sweep, js.prefix_key AS PrefixKey, js.total_steps AS TotalSteps
        FROM job_specs js
        JOIN sweeps s ON s.id = js.sweep_id
        JOIN jobs j ON j.id = js.job_id
        WHERE js.prefix_key IS NOT NULL AND j.state = 'succeeded'
        ORDER BY js.recorded_at;
        """;

    // A continuing job that has neither succeeded nor diverged (a diverged job is not trained again) will still need the state.
    private const string UnfinishedContinuersSql =
        """
        SELECT count(DISTINCT js.job_id)
        FROM job_specs js
        JOIN jobs j ON j.id = js.job_id
        WHERE js.continues_job_id = @JobId AND j.state NOT IN ('succeeded', 'diverged');
        """;

    // Per step, the figures of the latest attempt of the continued job that logged it; steps the continuing job already has stay.
    private const string CopySharedMetricsSql =
        """
        INSERT INTO metrics (attempt_id, step, epoch, loss, learning_rate, samples_per_second, recorded_at)
        SELECT @ToAttemptId, m.step, m.epoch, m.loss, m.learning_rate, m.samples_per_second, m.recorded_at
        FROM metrics m
        JOIN attempts a ON a.id = m.attempt_id
        WHERE a.job_id = @FromJobId AND m.step <= @UpToStep
          AND m.attempt_id = (SELECT max(m2.attempt_id) FROM metrics m2 JOIN attempts a2 ON a2.id = m2.attempt_id
                              WHERE a2.job_id = @FromJobId AND m2.step = m.step)
          AND NOT EXISTS (SELECT 1 FROM metrics m3 JOIN attempts a3 ON a3.id = m3.attempt_id
                          WHERE a3.job_id = @ToJobId AND m3.step = m.step);
        """;

    // Per epoch, the latest attempt's figure, as for metrics.
    private const string CopySharedValidationSql =
        """
        INSERT INTO validation_losses (attempt_id, epoch, step, loss, images, recorded_at)
        SELECT @ToAttemptId, v.epoch, v.step, v.loss, v.images, v.recorded_at
        FROM validation_losses v
        JOIN attempts a ON a.id = v.attempt_id
        WHERE a.job_id = @FromJobId AND v.epoch <= @UpToEpoch
          AND v.attempt_id = (SELECT max(v2.attempt_id) FROM validation_losses v2 JOIN attempts a2 ON a2.id = v2.attempt_id
                              WHERE a2.job_id = @FromJobId AND v2.epoch = v.epoch)
          AND NOT EXISTS (SELECT 1 FROM validation_losses v3 JOIN attempts a3 ON a3.id = v3.attempt_id
                          WHERE a3.job_id = @ToJobId AND v3.epoch = v.epoch);
        """;

    private const string CopySharedPreviewsSql =
        """
        INSERT INTO previews (job_id, attempt_id, epoch, prompt_index, prompt, negative_prompt, seed, sampler,
                              sample_steps, cfg_scale, width, height, path, sha256, bytes, created_at)
        SELECT @ToJobId, @ToAttemptId, epoch, prompt_index, prompt, negative_prompt, seed, sampler,
               sample_steps, cfg_scale, width, height, path, sha256, bytes, created_at
        FROM previews
        WHERE job_id = @FromJobId AND epoch <= @UpToEpoch
        ON CONFLICT (job_id, epoch, prompt_index) DO NOTHING;
        """;

    private const string CopySharedCheckpointsSql =
        """
        INSERT INTO checkpoints (job_id, attempt_id, epoch, path, sha256, bytes, created_at, data_sha256)
        SELECT @ToJobId, @ToAttemptId, epoch, path, sha256, bytes, created_at, data_sha256
        FROM checkpoints
        WHERE job_id = @FromJobId AND (epoch < @UpToEpoch OR (epoch = @UpToEpoch AND @WithLastEpoch))
        ON CONFLICT (job_id, epoch) DO NOTHING;
        """;

    /// <summary>Succeeded jobs of every sweep whose run does not depend on its length, as candidates for a longer job to continue.</summary>
    public Task<IReadOnlyList<EarlierRun>> GetEarlierRunsAsync(CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<EarlierRun>>(
            async (connection, transaction, token) =>
            {
                var rows = await connection.QueryAsync<EarlierRunRow>(new CommandDefinition(
                    EarlierRunsSql, transaction: transaction, cancellationToken: token));
                return rows.DistinctBy(row => row.JobId).Select(row => new EarlierRun(row.JobId, row.Label, row.Sweep, row.PrefixKey, row.TotalSteps)).ToList();
            },
            cancellationToken);

    /// <summary>How many jobs that continue <paramref name="jobId"/> have yet to train: while any has, its final training state is kept.</summary>
    public Task<long> CountUnfinishedContinuersAsync(string jobId, CancellationToken cancellationToken = default) =>
        ReadAsync(
            (connection, transaction, token) => connection.ExecuteScalarAsync<long>(new CommandDefinition(
                UnfinishedContinuersSql, new { JobId = jobId }, transaction, cancellationToken: token)),
            cancellationToken);

    /// <summary>
    /// Gives the attempt of a job that continues <paramref name="fromJobId"/> the history of their shared part, in one
    /// transaction: the continued job's metrics up to <paramref name="upToStep"/>, its validation losses and previews up to
    /// <paramref name="upToEpoch"/>, and its checkpoints before that epoch (and at it when <paramref name="withLastEpochCheckpoint"/>:
    /// the continued job's final file is the one the continuing job would have saved there). The rows name the continued
    /// job's files, which hold the same weights and images. What the continuing job already has is kept, so a second
    /// call adds nothing.
    /// </summary>
    public Task<SharedHistory> CopySharedHistoryAsync(string fromJobId, long toAttemptId, long upToStep, long upToEpoch, bool withLastEpochCheckpoint,
        CancellationToken cancellationToken = default) =>
        WriteAsync(
            async (connection, transaction, token) =>
            {
                var toJobId = await JobOfAttemptAsync(connection, transaction, toAttemptId, token);
                var parameters = new
                {
                    FromJobId = fromJobId, ToJobId = toJobId, ToAttemptId = toAttemptId, UpToStep = upToStep, UpToEpoch = upToEpoch,
                    WithLastEpoch = withLastEpochCheckpoint,
                };
                var metrics = await connection.ExecuteAsync(new CommandDefinition(CopySharedMetricsSql, parameters, transaction, cancellationToken: token));
                var validation = await connection.ExecuteAsync(new CommandDefinition(CopySharedValidationSql, parameters, transaction, cancellationToken: token));
                var previews = await connection.ExecuteAsync(new CommandDefinition(CopySharedPreviewsSql, parameters, transaction, cancellationToken: token));
                var checkpoints = await connection.ExecuteAsync(new CommandDefinition(CopySharedCheckpointsSql, parameters, transaction, cancellationToken: token));
                return new SharedHistory(metrics, previews, checkpoints, validation);
            },
            cancellationToken);

    private sealed class EarlierRunRow
    {
        public string JobId { get; init; } = "";

        public string Label { get; init; } = "";

        public string Sweep { get; init; } = "";

        public string PrefixKey { get; init; } = "";

        public long TotalSteps { get; init; }
    }
}

/// <summary>How many rows of each kind a continuing job's attempt took over from the job it continues.</summary>
public sealed record SharedHistory(int Metrics, int Previews, int Checkpoints, int ValidationLosses);
