using Dapper;
using SweepRunner.Core.Results;

namespace SweepRunner.Store;

/// <summary>What the scoring page reads: a sweep's jobs with their previews, one preview's file, and the scores given in a sweep.</summary>
public sealed partial class ResultsStore
{
    private const string GalleryJobsSql =
        """
        SELECT sj.label AS Label, sj.job_id AS JobId, sj.position AS Position, sj.diff_json AS DiffJson,
               sj.duplicate_of_label AS DuplicateOfLabel, j.state AS State
        FROM sweep_jobs sj
        JOIN jobs j ON j.id = sj.job_id
        WHERE sj.sweep_id = @SweepId
        ORDER BY sj.position, sj.label;
        """;

    private const string PreviewsOfSweepSql =
        $"""
        SELECT {PreviewColumns}
        FROM previews
        WHERE job_id IN (SELECT job_id FROM sweep_jobs WHERE sweep_id = @SweepId)
        ORDER BY job_id, epoch, prompt_index;
        """;

    private const string PreviewByIdSql =
        $"""
        SELECT {PreviewColumns}
        FROM previews
        WHERE id = @PreviewId;
        """;

    /// <summary>
    /// A sweep's jobs in plan order with label, diff against the base, state and previews (by epoch and prompt).
    /// Reads the database afresh, so previews recorded by a running sweep appear on the next call.
    /// </summary>
    public Task<SweepGallery> GetSweepGalleryAsync(string sweepName, CancellationToken cancellationToken = default) =>
        ReadAsync(
            async (connection, transaction, token) =>
            {
                var sweep = await FindSweepAsync(connection, transaction, sweepName, token);
                var jobs = await connection.QueryAsync<GalleryJobRow>(new CommandDefinition(
                    GalleryJobsSql, new { SweepId = sweep.Id }, transaction, cancellationToken: token));
                var previews = (await connection.QueryAsync<PreviewRow>(new CommandDefinition(
                        PreviewsOfSweepSql, new { SweepId = sweep.Id }, transaction, cancellationToken: token)))
                    .Select(row => row.ToStored())
                    .ToLookup(preview => preview.JobId, StringComparer.Ordinal);
                return new SweepGallery(
                    sweep.Name,
                    jobs.Select(job => new GalleryJob(
                        job.Label,
                        job.JobId,
                        (int)job.Position,
                        job.DiffJson,
                        job.DuplicateOfLabel,
                        StoredNames.ParseJobState(job.State),
                        previews[job.JobId].ToList())).ToList());
            },
            cancellationToken);

    /// <summary>One recorded preview (its file path is relative to <see cref="ResultsFolder"/>), or null when no preview has that id.</summary>
    public Task<StoredPreview?> FindPreviewAsync(long previewId, CancellationToken cancellationToken = default) =>
        ReadAsync(
            async (connection, transaction, token) =>
            {
                var row = await connection.QuerySingleOrDefaultAsync<PreviewRow>(new CommandDefinition(
                    PreviewByIdSql, new { PreviewId = previewId }, transaction, cancellationToken: token));
                return row?.ToStored();
            },
            cancellationToken);

    /// <summary>
    /// For each preview of a sweep's jobs and each scorer, the latest score given to that preview (with the preview's
    /// epoch), ordered by preview and scorer.
    /// </summary>
    public Task<IReadOnlyList<LatestScore>> GetLatestPreviewScoresAsync(string sweepName, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<LatestScore>>(
            async (connection, transaction, token) =>
            {
                var sweep = await FindSweepAsync(connection, transaction, sweepName, token);
                return (await ReadLatestScoresOfSweepAsync(connection, transaction, sweep.Id, token))
                    .Where(score => score.PreviewId is not null)
                    .OrderBy(score => score.PreviewId)
                    .ThenBy(score => score.Scorer, StringComparer.Ordinal)
                    .ToList();
            },
            cancellationToken);

    private sealed class GalleryJobRow
    {
        public string Label { get; init; } = "";

        public string JobId { get; init; } = "";

        public long Position { get; init; }

        public string DiffJson { get; init; } = "{}";

        public string? DuplicateOfLabel { get; init; }

        public string State { get; init; } = "";
    }
}
