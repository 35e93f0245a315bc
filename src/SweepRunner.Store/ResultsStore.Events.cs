using Dapper;
using SweepRunner.Core.Results;
using SweepRunner.Store.Time;

namespace SweepRunner.Store;

/// <summary>Events: what happened and when, optionally tied to a sweep and a job.</summary>
public sealed partial class ResultsStore
{
    private const string InsertEventSql =
        """
        INSERT INTO events (occurred_at, level, message, sweep_id, job_id)
        VALUES (@Now, @Level, @Message, @SweepId, @JobId)
        RETURNING id;
        """;

    private const string RecentEventsSql =
        """
        SELECT EventId, OccurredAt, Level, Message, SweepName, JobId
        FROM (
            SELECT e.id AS EventId, e.occurred_at AS OccurredAt, e.level AS Level, e.message AS Message,
                   s.name AS SweepName, e.job_id AS JobId
            FROM events e
            LEFT JOIN sweeps s ON s.id = e.sweep_id
            WHERE (@SweepName IS NULL OR s.name = @SweepName)
            ORDER BY e.id DESC
            LIMIT @Limit
        )
        ORDER BY EventId;
        """;

    /// <summary>Logs an event. A named sweep or job must exist in the database.</summary>
    public Task<long> AddEventAsync(EventLevel level, string message, string? sweepName = null, string? jobId = null, CancellationToken cancellationToken = default) =>
        WriteAsync(
            async (connection, transaction, token) =>
            {
                long? sweepId = sweepName is null ? null : (await FindSweepAsync(connection, transaction, sweepName, token)).Id;
                if (jobId is not null)
                {
                    await RequireJobAsync(connection, transaction, jobId, token);
                }

                return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    InsertEventSql,
                    new { Now = Now(), Level = StoredNames.Of(level), Message = message, SweepId = sweepId, JobId = jobId },
                    transaction,
                    cancellationToken: token));
            },
            cancellationToken);

    /// <summary>The latest <paramref name="limit"/> events, of one sweep or of all, oldest first.</summary>
    public Task<IReadOnlyList<EventRecord>> GetRecentEventsAsync(int limit, string? sweepName = null, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<EventRecord>>(
            async (connection, transaction, token) =>
            {
                var rows = await connection.QueryAsync<EventRow>(new CommandDefinition(
                    RecentEventsSql, new { SweepName = sweepName, Limit = limit }, transaction, cancellationToken: token));
                return rows.Select(row => new EventRecord(
                    row.EventId, UtcText.Parse(row.OccurredAt), StoredNames.ParseLevel(row.Level), row.Message, row.SweepName, row.JobId)).ToList();
            },
            cancellationToken);

    private sealed class EventRow
    {
        public long EventId { get; init; }

        public string OccurredAt { get; init; } = "";

        public string Level { get; init; } = "";

        public string Message { get; init; } = "";

        public string? SweepName { get; init; }

        public string? JobId { get; init; }
    }
}
