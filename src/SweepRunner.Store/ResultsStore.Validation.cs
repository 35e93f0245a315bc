using Dapper;
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

    private sealed class ValidationRow
    {
        public long AttemptId { get; init; }

        public long Epoch { get; init; }

        public long Step { get; init; }

        public double? Loss { get; init; }

        public long Images { get; init; }
    }
}
