using System.Globalization;
using Dapper;
using SweepRunner.Core.Results;
using SweepRunner.Core.Scoring;
using SweepRunner.Store.Time;

namespace SweepRunner.Store;

/// <summary>Scores: append-only opinions on previews or whole jobs, of which the latest per scorer and target counts.</summary>
public sealed partial class ResultsStore
{
    private const string InsertPreviewScoreSql =
        """
        INSERT INTO scores (job_id, preview_id, scorer, value, blind, note, scored_at)
        SELECT job_id, id, @Scorer, @Value, @Blind, @Note, @Now FROM previews WHERE id = @PreviewId
        RETURNING id;
        """;

    private const string InsertJobScoreSql =
        """
        INSERT INTO scores (job_id, preview_id, epoch, scorer, value, blind, note, scored_at)
        VALUES (@JobId, NULL, @Epoch, @Scorer, @Value, @Blind, @Note, @Now)
        RETURNING id;
        """;

    private const string LatestScoresOfJobSql =
        """
        SELECT ScoreId, JobId, PreviewId, Epoch, Scorer, Value, Blind, Note, ScoredAt
        FROM (
            SELECT id AS ScoreId, job_id AS JobId, preview_id AS PreviewId, epoch AS Epoch, scorer AS Scorer, value AS Value,
                   blind AS Blind, note AS Note, scored_at AS ScoredAt,
                   row_number() OVER (PARTITION BY job_id, preview_id, epoch, scorer ORDER BY id DESC) AS recency
            FROM scores
            WHERE job_id = @JobId
        )
        WHERE recency = 1
        ORDER BY PreviewId IS NOT NULL, PreviewId, Epoch IS NOT NULL, Epoch, Scorer;
        """;

    /// <summary>Adds a score to a preview image. Returns the score's id.</summary>
    public Task<long> AddPreviewScoreAsync(long previewId, ScoreEntry score, CancellationToken cancellationToken = default)
    {
        ValidateScore(score);
        return WriteAsync(
            async (connection, transaction, token) =>
            {
                var scoreId = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
                    InsertPreviewScoreSql,
                    new { PreviewId = previewId, score.Scorer, score.Value, score.Blind, score.Note, Now = Now() },
                    transaction,
                    cancellationToken: token));
                return scoreId ?? throw new ResultsStoreException($"{DatabasePath}: no preview with id {previewId} to score.");
            },
            cancellationToken);
    }

    /// <summary>
    /// Adds a score to a job as a whole, or, with <paramref name="epoch"/>, to the LoRA it saved at that epoch.
    /// Returns the score's id.
    /// </summary>
    public Task<long> AddJobScoreAsync(string jobId, ScoreEntry score, long? epoch = null, CancellationToken cancellationToken = default)
    {
        ValidateScore(score);
        return WriteAsync(
            async (connection, transaction, token) =>
            {
                await RequireJobAsync(connection, transaction, jobId, token);
                return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    InsertJobScoreSql,
                    new { JobId = jobId, Epoch = epoch, score.Scorer, score.Value, score.Blind, score.Note, Now = Now() },
                    transaction,
                    cancellationToken: token));
            },
            cancellationToken);
    }

    /// <summary>
    /// The scores that count for a job: for each target (the job itself, then each preview) and each scorer,
    /// the latest score given.
    /// </summary>
    public Task<IReadOnlyList<LatestScore>> GetLatestScoresAsync(string jobId, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<LatestScore>>(
            async (connection, transaction, token) =>
            {
                var rows = await connection.QueryAsync<LatestScoreRow>(new CommandDefinition(
                    LatestScoresOfJobSql, new { JobId = jobId }, transaction, cancellationToken: token));
                return rows.Select(row => row.ToRecord()).ToList();
            },
            cancellationToken);

    private static void ValidateScore(ScoreEntry score)
    {
        if (string.IsNullOrWhiteSpace(score.Scorer))
        {
            throw new ArgumentException("a score needs the name of who (or what) gave it", nameof(score));
        }

        if (!ScoreRange.IsValid(score.Value))
        {
            throw new ArgumentOutOfRangeException(
                nameof(score), score.Value, ScoreRange.Problem($"{score.Value.ToString(CultureInfo.InvariantCulture)} from '{score.Scorer}'"));
        }
    }

    private sealed class LatestScoreRow
    {
        public long ScoreId { get; init; }

        public string JobId { get; init; } = "";

        public long? PreviewId { get; init; }

        public long? Epoch { get; init; }

        public string Scorer { get; init; } = "";

        public double Value { get; init; }

        public bool Blind { get; init; }

        public string? Note { get; init; }

        public string ScoredAt { get; init; } = "";

        public LatestScore ToRecord() => new(ScoreId, JobId, PreviewId, Epoch, Scorer, Value, Blind, Note, UtcText.Parse(ScoredAt));
    }
}
