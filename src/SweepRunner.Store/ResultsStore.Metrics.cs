using Dapper;
using SweepRunner.Core.Results;

namespace SweepRunner.Store;

/// <summary>Training metrics, written in batches.</summary>
public sealed partial class ResultsStore
{
    private const string AttemptExistsSql = "SELECT count(*) FROM attempts WHERE id = @AttemptId;";

    // A step logged twice (a resumed attempt repeating its first step) keeps the latest figures.
    private const string UpsertMetricSql =
        """
        INSERT INTO metrics (attempt_id, step, epoch, loss, learning_rate, samples_per_second, recorded_at)
        VALUES (@AttemptId, @Step, @Epoch, @Loss, @LearningRate, @SamplesPerSecond, @Now)
        ON CONFLICT (attempt_id, step) DO UPDATE SET
            epoch              = excluded.epoch,
            loss               = excluded.loss,
            learning_rate      = excluded.learning_rate,
            samples_per_second = excluded.samples_per_second,
            recorded_at        = excluded.recorded_at;
        """;

    // Logging metrics shows the process is alive, so a batch also counts as a heartbeat.
    private const string MetricsHeartbeatSql =
        "UPDATE attempts SET heartbeat_at = @Now WHERE id = @AttemptId AND ended_at IS NULL;";

    private const string MetricsOfAttemptSql =
        """
        SELECT step AS Step, epoch AS Epoch, loss AS Loss, learning_rate AS LearningRate, samples_per_second AS SamplesPerSecond
        FROM metrics
        WHERE attempt_id = @AttemptId
        ORDER BY step;
        """;

    /// <summary>Adds a batch of metrics to an attempt: the whole batch is written, or none of it.</summary>
    public Task AddMetricsAsync(long attemptId, IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken = default)
    {
        if (points.Count == 0)
        {
            return Task.CompletedTask;
        }

        return WriteAsync(
            async (connection, transaction, token) =>
            {
                var now = Now();
                var exists = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    AttemptExistsSql, new { AttemptId = attemptId }, transaction, cancellationToken: token));
                if (exists == 0)
                {
                    throw new ResultsStoreException($"{DatabasePath}: no attempt with id {attemptId}; start an attempt before logging its metrics.");
                }

                await connection.ExecuteAsync(new CommandDefinition(
                    UpsertMetricSql,
                    points.Select(point => new
                    {
                        AttemptId = attemptId,
                        point.Step,
                        point.Epoch,
                        Loss = point.Loss is { } loss && double.IsNaN(loss) ? null : point.Loss,
                        point.LearningRate,
                        point.SamplesPerSecond,
                        Now = now,
                    }),
                    transaction,
                    cancellationToken: token));
                await connection.ExecuteAsync(new CommandDefinition(
                    MetricsHeartbeatSql, new { AttemptId = attemptId, Now = now }, transaction, cancellationToken: token));
                return points.Count;
            },
            cancellationToken);
    }

    /// <summary>The metrics of an attempt in step order.</summary>
    public Task<IReadOnlyList<MetricPoint>> GetMetricsAsync(long attemptId, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<MetricPoint>>(
            async (connection, transaction, token) =>
            {
                var rows = await connection.QueryAsync<MetricRow>(new CommandDefinition(
                    MetricsOfAttemptSql, new { AttemptId = attemptId }, transaction, cancellationToken: token));
                return rows.Select(row => new MetricPoint(row.Step, row.Epoch, row.Loss, row.LearningRate, row.SamplesPerSecond)).ToList();
            },
            cancellationToken);

    private sealed class MetricRow
    {
        public long Step { get; init; }

        public long Epoch { get; init; }

        public double? Loss { get; init; }

        public double LearningRate { get; init; }

        public double SamplesPerSecond { get; init; }
    }
}
