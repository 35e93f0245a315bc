using Dapper;
using Microsoft.Data.Sqlite;
using SweepRunner.Core.Results;

namespace SweepRunner.Store;

/// <summary>
/// What a sweep's job scores are made of, for the page, the export and the report alike; the rule that turns it
/// into a job's score is SweepRunner.Core.Scoring.ScorePolicy, not SQL.
/// </summary>
public sealed partial class ResultsStore
{
    private const string SweepJobIdsSql =
        """
        SELECT job_id FROM sweep_jobs WHERE sweep_id = @SweepId ORDER BY position, label;
        """;

    // The latest score per job, target (preview, or epoch of a job-level score) and scorer; a preview score takes its preview's epoch.
    private const string LatestScoresOfSweepSql =
        """
        SELECT ScoreId, JobId, PreviewId, Epoch, Scorer, Value, Blind, Note, ScoredAt
        FROM (
            SELECT s.id AS ScoreId, s.job_id AS JobId, s.preview_id AS PreviewId, coalesce(s.epoch, p.epoch) AS Epoch,
                   s.scorer AS Scorer, s.value AS Value, s.blind AS Blind, s.note AS Note, s.scored_at AS ScoredAt,
                   row_number() OVER (PARTITION BY s.job_id, s.preview_id, s.epoch, s.scorer ORDER BY s.id DESC) AS recency
            FROM scores s
            LEFT JOIN previews p ON p.id = s.preview_id
            WHERE s.job_id IN (SELECT job_id FROM sweep_jobs WHERE sweep_id = @SweepId)
        )
        WHERE recency = 1
        ORDER BY ScoreId;
        """;

    // The epoch of each job's final LoRA: the latest epoch it saved a LoRA or previews at.
    private const string FinalEpochsOfSweepSql =
        """
        SELECT job_id AS JobId, max(epoch) AS Epoch
        FROM (SELECT job_id, epoch FROM checkpoints UNION ALL SELECT job_id, epoch FROM previews)
        WHERE job_id IN (SELECT job_id FROM sweep_jobs WHERE sweep_id = @SweepId)
        GROUP BY job_id;
        """;

    /// <summary>Everything the scores of a sweep's jobs are made of, read in one transaction.</summary>
    public Task<SweepScoring> GetSweepScoringAsync(string sweepName, CancellationToken cancellationToken = default) =>
        ReadAsync(
            async (connection, transaction, token) =>
            {
                var sweep = await FindSweepAsync(connection, transaction, sweepName, token);
                return await ReadSweepScoringAsync(connection, transaction, sweep.Id, token);
            },
            cancellationToken);

    private static async Task<SweepScoring> ReadSweepScoringAsync(
        SqliteConnection connection, SqliteTransaction transaction, long sweepId, CancellationToken cancellationToken)
    {
        var parameters = new { SweepId = sweepId };
        var jobIds = (await connection.QueryAsync<string>(new CommandDefinition(
                SweepJobIdsSql, parameters, transaction, cancellationToken: cancellationToken)))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var scores = await ReadLatestScoresOfSweepAsync(connection, transaction, sweepId, cancellationToken);
        var finalEpochs = (await connection.QueryAsync<JobEpochRow>(new CommandDefinition(
                FinalEpochsOfSweepSql, parameters, transaction, cancellationToken: cancellationToken)))
            .ToDictionary(row => row.JobId, row => row.Epoch, StringComparer.Ordinal);
        var choices = await ReadPairwiseChoicesAsync(connection, transaction, sweepId, cancellationToken);
        return new SweepScoring(jobIds, scores, finalEpochs, choices);
    }

    private static async Task<IReadOnlyList<LatestScore>> ReadLatestScoresOfSweepAsync(
        SqliteConnection connection, SqliteTransaction transaction, long sweepId, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<LatestScoreRow>(new CommandDefinition(
            LatestScoresOfSweepSql, new { SweepId = sweepId }, transaction, cancellationToken: cancellationToken));
        return rows.Select(row => row.ToRecord()).ToList();
    }
}
