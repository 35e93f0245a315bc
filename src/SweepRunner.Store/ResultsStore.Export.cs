using Dapper;
using Microsoft.Data.Sqlite;
using SweepRunner.Core.Results;

namespace SweepRunner.Store;

/// <summary>Export rows: one per job of a sweep, with settings, state, timings, final loss and scores.</summary>
public sealed partial class ResultsStore
{
    // For each job and scorer: the mean over targets (previews, epochs' LoRAs, the job itself) of the latest score per target.
    private const string MeanScoresOfSweepSql =
        """
        WITH latest AS (
            SELECT job_id, scorer, value,
                   row_number() OVER (PARTITION BY job_id, preview_id, epoch, scorer ORDER BY id DESC) AS recency
            FROM scores
            WHERE job_id IN (SELECT job_id FROM sweep_jobs WHERE sweep_id = @SweepId)
        )
        SELECT job_id AS JobId, scorer AS Scorer, avg(value) AS Mean, count(*) AS Count
        FROM latest
        WHERE recency = 1
        GROUP BY job_id, scorer
        ORDER BY job_id, scorer;
        """;

    /// <summary>The export of a sweep: one row per job label, in plan order.</summary>
    public Task<SweepExport> GetSweepExportAsync(string sweepName, CancellationToken cancellationToken = default) =>
        ReadAsync(
            async (connection, transaction, token) =>
            {
                var snapshot = await ReadSweepSnapshotAsync(connection, transaction, sweepName, token);
                return await BuildSweepExportAsync(connection, transaction, snapshot, token);
            },
            cancellationToken);

    private async Task<SweepExport> BuildSweepExportAsync(
        SqliteConnection connection, SqliteTransaction transaction, SweepSnapshot snapshot, CancellationToken cancellationToken)
    {
        var scores = (await connection.QueryAsync<MeanScoreRow>(new CommandDefinition(
                MeanScoresOfSweepSql, new { SweepId = snapshot.Sweep.Id }, transaction, cancellationToken: cancellationToken)))
            .ToLookup(row => row.JobId, StringComparer.Ordinal);
        var rows = snapshot.Entries.Select(entry => BuildExportRow(snapshot, entry, scores[entry.JobId])).ToList();
        return new SweepExport(snapshot.Sweep.Name, _time.GetUtcNow(), rows);
    }

    private static ExportRow BuildExportRow(SweepSnapshot snapshot, SweepEntryRow entry, IEnumerable<MeanScoreRow> jobScores)
    {
        var representative = snapshot.RepresentativeAttempt(entry.JobId);
        LastMetricRow? finalMetric = null;
        if (representative is not null)
        {
            snapshot.LastMetricByAttempt.TryGetValue(representative.AttemptId, out finalMetric);
        }

        var scorerMeans = jobScores.Select(row => new ScorerMean(row.Scorer, row.Mean, (int)row.Count)).ToList();
        return new ExportRow(
            entry.Label,
            entry.JobId,
            entry.DuplicateOfLabel,
            StoredNames.ParseJobState(entry.State),
            entry.SettingsJson,
            entry.DiffJson,
            entry.StepsPerEpoch,
            entry.TotalSteps,
            entry.EstimatedSeconds,
            snapshot.AttemptsByJob[entry.JobId].Count(),
            representative?.Timings,
            finalMetric?.Step,
            finalMetric?.Loss,
            scorerMeans,
            scorerMeans.Count == 0 ? null : scorerMeans.Average(mean => mean.Mean));
    }

    private sealed class MeanScoreRow
    {
        public string JobId { get; init; } = "";

        public string Scorer { get; init; } = "";

        public double Mean { get; init; }

        public long Count { get; init; }
    }
}
