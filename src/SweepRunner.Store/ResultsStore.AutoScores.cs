using Dapper;
using SweepRunner.Core.Results;
using SweepRunner.Core.Scoring;

namespace SweepRunner.Store;

/// <summary>Automatic scores of previews and the cached image embeddings they compare with (see migration 0012).</summary>
public sealed partial class ResultsStore
{
    // A score already there stays: scoring twice with one model changes nothing.
    private const string InsertAutoScoreSql =
        """
        INSERT INTO auto_scores (preview_id, metric, model_sha256, value, created_at)
        VALUES (@PreviewId, @Metric, @ModelSha256, @Value, @Now)
        ON CONFLICT (preview_id, metric, model_sha256) DO NOTHING;
        """;

    private const string PreviewExistsSql = "SELECT count(*) FROM previews WHERE id = @PreviewId;";

    private const string PreviewsWithoutAutoScoreSql =
        $"""
        SELECT {PreviewColumns}
        FROM previews
        WHERE job_id IN (SELECT job_id FROM sweep_jobs WHERE sweep_id = @SweepId)
          AND NOT EXISTS (SELECT 1 FROM auto_scores s WHERE s.preview_id = previews.id AND s.metric = @Metric AND s.model_sha256 = @ModelSha256)
        ORDER BY job_id, epoch, prompt_index;
        """;

    private const string AutoScoresOfSweepSql =
        """
        SELECT s.preview_id AS PreviewId, p.job_id AS JobId, p.epoch AS Epoch, s.metric AS Metric, s.model_sha256 AS ModelSha256, s.value AS Value
        FROM auto_scores s
        JOIN previews p ON p.id = s.preview_id
        WHERE p.job_id IN (SELECT job_id FROM sweep_jobs WHERE sweep_id = @SweepId)
        ORDER BY s.preview_id, s.metric, s.model_sha256;
        """;

    private const string EmbeddingSql =
        "SELECT vector FROM image_embeddings WHERE model_sha256 = @ModelSha256 AND image_sha256 = @ImageSha256;";

    private const string InsertEmbeddingSql =
        """
        INSERT INTO image_embeddings (model_sha256, image_sha256, vector, created_at)
        VALUES (@ModelSha256, @ImageSha256, @Vector, @Now)
        ON CONFLICT (model_sha256, image_sha256) DO NOTHING;
        """;

    /// <summary>Records automatic scores in one transaction; a (preview, metric, model) already scored keeps its value.</summary>
    /// <returns>How many scores were new.</returns>
    public Task<int> RecordAutoScoresAsync(IReadOnlyList<AutoScore> scores, CancellationToken cancellationToken = default) =>
        WriteAsync(
            async (connection, transaction, token) =>
            {
                var now = Now();
                var added = 0;
                foreach (var score in scores)
                {
                    if (!double.IsFinite(score.Value))
                        throw new ArgumentException($"the {score.Metric.DisplayName()} score of preview {score.PreviewId} is {score.Value}, not a number", nameof(scores));
                    var exists = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                        PreviewExistsSql, new { score.PreviewId }, transaction, cancellationToken: token));
                    if (exists == 0)
                        throw new ResultsStoreException($"{DatabasePath}: no preview with id {score.PreviewId}; record the preview before scoring it.");
                    added += await connection.ExecuteAsync(new CommandDefinition(
                        InsertAutoScoreSql,
                        new { score.PreviewId, Metric = score.Metric.StoredName(), score.ModelSha256, score.Value, Now = now },
                        transaction,
                        cancellationToken: token));
                }

                return added;
            },
            cancellationToken);

    /// <summary>The previews of a sweep's jobs that <paramref name="metric"/> of the model <paramref name="modelSha256"/> has not scored, by job, epoch and prompt.</summary>
    public Task<IReadOnlyList<StoredPreview>> GetPreviewsWithoutAutoScoreAsync(string sweepName, AutoMetric metric, string modelSha256,
        CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<StoredPreview>>(
            async (connection, transaction, token) =>
            {
                var sweep = await FindSweepAsync(connection, transaction, sweepName, token);
                var rows = await connection.QueryAsync<PreviewRow>(new CommandDefinition(
                    PreviewsWithoutAutoScoreSql, new { SweepId = sweep.Id, Metric = metric.StoredName(), ModelSha256 = modelSha256 }, transaction, cancellationToken: token));
                return rows.Select(row => row.ToStored()).ToList();
            },
            cancellationToken);

    /// <summary>Every automatic score of a sweep's previews, by preview.</summary>
    public Task<IReadOnlyList<AutoScore>> GetAutoScoresAsync(string sweepName, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<AutoScore>>(
            async (connection, transaction, token) =>
            {
                var sweep = await FindSweepAsync(connection, transaction, sweepName, token);
                return (await ReadAutoScoresAsync(connection, transaction, sweep.Id, token)).Select(row => row.ToScore()).ToList();
            },
            cancellationToken);

    /// <summary>The cached embedding of an image (by content hash) under a model, or null.</summary>
    public Task<float[]?> GetImageEmbeddingAsync(string modelSha256, string imageSha256, CancellationToken cancellationToken = default) =>
        ReadAsync(
            async (connection, transaction, token) =>
            {
                var bytes = await connection.QuerySingleOrDefaultAsync<byte[]>(new CommandDefinition(
                    EmbeddingSql, new { ModelSha256 = modelSha256, ImageSha256 = imageSha256 }, transaction, cancellationToken: token));
                return bytes is null ? null : FloatsOf(bytes);
            },
            cancellationToken);

    /// <summary>Caches the embedding of an image under a model; one already cached stays.</summary>
    public Task RecordImageEmbeddingAsync(string modelSha256, string imageSha256, float[] vector, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(vector);
        if (vector.Length == 0) throw new ArgumentException("an embedding has at least one number", nameof(vector));
        return WriteAsync(
            (connection, transaction, token) => connection.ExecuteAsync(new CommandDefinition(
                InsertEmbeddingSql,
                new { ModelSha256 = modelSha256, ImageSha256 = imageSha256, Vector = BytesOf(vector), Now = Now() },
                transaction,
                cancellationToken: token)),
            cancellationToken);
    }

    private static async Task<IReadOnlyList<AutoScoreRow>> ReadAutoScoresAsync(
        Microsoft.Data.Sqlite.SqliteConnection connection, Microsoft.Data.Sqlite.SqliteTransaction transaction, long sweepId, CancellationToken token) =>
        (await connection.QueryAsync<AutoScoreRow>(new CommandDefinition(AutoScoresOfSweepSql, new { SweepId = sweepId }, transaction, cancellationToken: token))).ToList();

    /// <summary>
    /// A job's automatic scores: per metric and model, the mean over the previews of one epoch — the epoch whose human
    /// scores count when it has automatic scores, else the latest epoch that has them (the final LoRA's previews).
    /// </summary>
    private static IReadOnlyList<JobAutoScore> JobAutoScoresOf(IEnumerable<AutoScoreRow> rows, long? scoredEpoch)
    {
        var list = rows.ToList();
        if (list.Count == 0) return Array.Empty<JobAutoScore>();
        return list.GroupBy(row => (row.Metric, row.ModelSha256))
            .Select(group =>
            {
                var epoch = scoredEpoch is { } e && group.Any(row => row.Epoch == e) ? e : group.Max(row => row.Epoch);
                var values = group.Where(row => row.Epoch == epoch).OrderBy(row => row.PreviewId).Select(row => row.Value).ToArray();
                return new JobAutoScore(AutoMetrics.Parse(group.Key.Metric), group.Key.ModelSha256, epoch, values);
            })
            .OrderBy(score => score.Metric).ThenBy(score => score.ModelSha256, StringComparer.Ordinal)
            .ToArray();
    }

    private static byte[] BytesOf(float[] vector)
    {
        var bytes = new byte[vector.Length * sizeof(float)];
        for (var i = 0; i < vector.Length; i++) System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), vector[i]);
        return bytes;
    }

    private static float[] FloatsOf(byte[] bytes)
    {
        var vector = new float[bytes.Length / sizeof(float)];
        for (var i = 0; i < vector.Length; i++) vector[i] = System.Buffers.Binary.BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * sizeof(float)));
        return vector;
    }

    private sealed class AutoScoreRow
    {
        public long PreviewId { get; init; }

        public string JobId { get; init; } = "";

        public long Epoch { get; init; }

        public string Metric { get; init; } = "";

        public string ModelSha256 { get; init; } = "";

        public double Value { get; init; }

        public AutoScore ToScore() => new(PreviewId, AutoMetrics.Parse(Metric), ModelSha256, Value);
    }
}
