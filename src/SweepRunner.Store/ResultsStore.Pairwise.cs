using Dapper;
using Microsoft.Data.Sqlite;
using SweepRunner.Core.Results;
using SweepRunner.Store.Time;

namespace SweepRunner.Store;

/// <summary>Pairwise choices: append-only picks between two previews, turned into ratings per job elsewhere.</summary>
public sealed partial class ResultsStore
{
    private const string CountPreviewsSql = "SELECT count(*) FROM previews WHERE id IN (@First, @Second);";

    private const string InsertPairwiseChoiceSql =
        """
        INSERT INTO pairwise_choices (first_preview_id, second_preview_id, chosen_preview_id, scorer, chosen_at)
        VALUES (@FirstPreviewId, @SecondPreviewId, @ChosenPreviewId, @Scorer, @Now)
        RETURNING id;
        """;

    // A choice belongs to a sweep when the jobs of both its previews are jobs of that sweep.
    private const string PairwiseChoicesOfSweepSql =
        """
        SELECT c.id AS ChoiceId, c.first_preview_id AS FirstPreviewId, first.job_id AS FirstJobId,
               c.second_preview_id AS SecondPreviewId, second.job_id AS SecondJobId,
               c.chosen_preview_id AS ChosenPreviewId, c.scorer AS Scorer, c.chosen_at AS ChosenAt
        FROM pairwise_choices c
        JOIN previews first ON first.id = c.first_preview_id
        JOIN previews second ON second.id = c.second_preview_id
        WHERE first.job_id IN (SELECT job_id FROM sweep_jobs WHERE sweep_id = @SweepId)
          AND second.job_id IN (SELECT job_id FROM sweep_jobs WHERE sweep_id = @SweepId)
        ORDER BY c.id;
        """;

    /// <summary>Records a scorer's pick between two previews, or a tie (no preview chosen). Returns the choice's id.</summary>
    public Task<long> AddPairwiseChoiceAsync(PairwiseChoice choice, CancellationToken cancellationToken = default)
    {
        ValidateChoice(choice);
        return WriteAsync(
            async (connection, transaction, token) =>
            {
                var known = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    CountPreviewsSql, new { First = choice.FirstPreviewId, Second = choice.SecondPreviewId }, transaction, cancellationToken: token));
                if (known != 2)
                {
                    throw new ResultsStoreException(
                        $"{DatabasePath}: no preview with id {choice.FirstPreviewId} or {choice.SecondPreviewId} to compare; " +
                        "choose between previews the store has recorded (reload the scoring page).");
                }

                return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    InsertPairwiseChoiceSql,
                    new { choice.FirstPreviewId, choice.SecondPreviewId, choice.ChosenPreviewId, choice.Scorer, Now = Now() },
                    transaction,
                    cancellationToken: token));
            },
            cancellationToken);
    }

    /// <summary>Every pairwise choice between previews of a sweep's jobs, oldest first.</summary>
    public Task<IReadOnlyList<StoredPairwiseChoice>> GetPairwiseChoicesAsync(string sweepName, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<StoredPairwiseChoice>>(
            async (connection, transaction, token) =>
            {
                var sweep = await FindSweepAsync(connection, transaction, sweepName, token);
                return await ReadPairwiseChoicesAsync(connection, transaction, sweep.Id, token);
            },
            cancellationToken);

    private static async Task<IReadOnlyList<StoredPairwiseChoice>> ReadPairwiseChoicesAsync(
        SqliteConnection connection, SqliteTransaction transaction, long sweepId, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<PairwiseChoiceRow>(new CommandDefinition(
            PairwiseChoicesOfSweepSql, new { SweepId = sweepId }, transaction, cancellationToken: cancellationToken));
        return rows.Select(row => new StoredPairwiseChoice(
            row.ChoiceId, row.FirstPreviewId, row.FirstJobId, row.SecondPreviewId, row.SecondJobId,
            row.ChosenPreviewId, row.Scorer, UtcText.Parse(row.ChosenAt))).ToList();
    }

    private static void ValidateChoice(PairwiseChoice choice)
    {
        if (string.IsNullOrWhiteSpace(choice.Scorer))
        {
            throw new ArgumentException("a pairwise choice needs the name of who made it", nameof(choice));
        }

        if (choice.FirstPreviewId == choice.SecondPreviewId)
        {
            throw new ArgumentException($"a pairwise choice compares two different previews; both are {choice.FirstPreviewId}", nameof(choice));
        }

        if (choice.ChosenPreviewId is { } chosen && chosen != choice.FirstPreviewId && chosen != choice.SecondPreviewId)
        {
            throw new ArgumentException(
                $"the chosen preview {choice.ChosenPreviewId} is neither of the compared previews {choice.FirstPreviewId} and {choice.SecondPreviewId}",
                nameof(choice));
        }
    }

    private sealed class PairwiseChoiceRow
    {
        public long ChoiceId { get; init; }

        public long FirstPreviewId { get; init; }

        public string FirstJobId { get; init; } = "";

        public long SecondPreviewId { get; init; }

        public string SecondJobId { get; init; } = "";

        public long? ChosenPreviewId { get; init; }

        public string Scorer { get; init; } = "";

        public string ChosenAt { get; init; } = "";
    }
}
