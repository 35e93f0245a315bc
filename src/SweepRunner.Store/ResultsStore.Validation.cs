using Dapper;
using Microsoft.Data.Sqlite;
using SweepRunner.Core.Results;

namespace SweepRunner.Store;

/// <summary>Validation losses: one per attempt and validated epoch (see migration 0011).</summary>
public sealed partial class ResultsStore
{
    // An epoch validated twice by one attempt (it cannot be, but a retried write must not fail) keeps the latest figure.
    private const string UpsertValidationLossSql =
        """
        INSERT INTO validation_losses (attempt_id, epoch, step, loss, images, recorded_at)
        VALUES (@AttemptId, @Epoch, @Step, @Loss, @Images, @Now)
        ON CONFLICT (attempt_id, epoch) DO UPDATE SET
            step        = excluded.step,
            loss        = excluded.loss,
            images      = excluded.images,
            recorded_at = excluded.recorded_at;
        """;

    private const string ValidationLossesOfAttemptsSql =
        """
        SELECT attempt_id AS AttemptId, epoch AS Epoch, step AS Step, loss AS Loss, images AS Images
        FROM validation_losses
        WHERE attempt_id IN (SELECT value FROM json_each(@AttemptIds))
        ORDER BY attempt_id, epoch;
        """;

    /// <summary>Records the validation loss an attempt measured after an epoch.</summary>
    public Task RecordValidationLossAsync(long attemptId, ValidationLoss loss, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(loss);
        return WriteAsync(
            async (connection, transaction, token) =>
            {
                var exists = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    AttemptExistsSql, new { AttemptId = attemptId }, transaction, cancellationToken: token));
                if (exists == 0)
                    throw new ResultsStoreException($"{DatabasePath}: no attempt with id {attemptId}; start an attempt before recording its validation loss.");
                return await connection.ExecuteAsync(new CommandDefinition(
                    UpsertValidationLossSql,
                    new
                    {
                        AttemptId = attemptId,
                        loss.Epoch,
                        loss.Step,
                        Loss = loss.Loss is { } value && double.IsNaN(value) ? null : loss.Loss,
                        loss.Images,
                        Now = Now(),
                    },
                    transaction,
                    cancellationToken: token));
            },
            cancellationToken);
    }

    /// <summary>
    /// Per job, the validation losses of the given attempts (oldest first) by epoch; where two attempts validated the
    /// same epoch, the later one's figure.
    /// </summary>
    private static async Task<Dictionary<string, IReadOnlyList<ValidationLoss>>> ReadValidationHistoryAsync(
        SqliteConnection connection, SqliteTransaction transaction,
        IReadOnlyDictionary<string, List<long>> attemptsByJob, string attemptIdsJson, CancellationToken token)
    {
        var rows = (await connection.QueryAsync<ValidationRow>(new CommandDefinition(
                ValidationLossesOfAttemptsSql, new { AttemptIds = attemptIdsJson }, transaction, cancellationToken: token)))
            .ToLookup(row => row.AttemptId);
        return attemptsByJob.ToDictionary(
            pair => pair.Key,
            pair => (IReadOnlyList<ValidationLoss>)pair.Value.SelectMany(id => rows[id]).GroupBy(row => row.Epoch).Select(epoch => epoch.MaxBy(row => row.AttemptId)!)
                .OrderBy(row => row.Epoch).Select(row => new ValidationLoss(row.Epoch, row.Step, row.Loss, (int)row.Images)).ToList(),
            StringComparer.Ordinal);
    }

    private sealed class ValidationRow
    {
        public long AttemptId { get; init; }

        public long Epoch { get; init; }

        public long Step { get; init; }

        public double? Loss { get; init; }

        public long Images { get; init; }
    }
}
