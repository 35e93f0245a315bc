using Dapper;
using Microsoft.Data.Sqlite;
using SweepRunner.Core.Results;
using SweepRunner.Store.Time;

namespace SweepRunner.Store;

/// <summary>
/// Checkpoints (LoRA files) and preview images: files on disk, recorded by relative path, size and SHA-256;
/// checkpoints also by the data hash of their safetensors file (previews are PNGs and have none).
/// </summary>
public sealed partial class ResultsStore
{
    private const string JobOfAttemptSql = "SELECT job_id FROM attempts WHERE id = @AttemptId;";

    // Training a job again replaces its file for that epoch; the row (and so what refers to it) stays.
    private const string UpsertCheckpointSql =
        """
        INSERT INTO checkpoints (job_id, attempt_id, epoch, path, sha256, bytes, created_at, data_sha256)
        VALUES (@JobId, @AttemptId, @Epoch, @Path, @Sha256, @Bytes, @Now, @DataSha256)
        ON CONFLICT (job_id, epoch) DO UPDATE SET
            attempt_id  = excluded.attempt_id,
            path        = excluded.path,
            sha256      = excluded.sha256,
            bytes       = excluded.bytes,
            created_at  = excluded.created_at,
            data_sha256 = excluded.data_sha256;
        """;

    // Upserting keeps the preview's id, so scores given to an earlier rendering stay attached to the same prompt and epoch.
    private const string UpsertPreviewSql =
        """
        INSERT INTO previews (job_id, attempt_id, epoch, prompt_index, prompt, negative_prompt, seed, sampler,
                              sample_steps, cfg_scale, width, height, path, sha256, bytes, created_at)
        VALUES (@JobId, @AttemptId, @Epoch, @PromptIndex, @Prompt, @NegativePrompt, @Seed, @Sampler,
                @SampleSteps, @CfgScale, @Width, @Height, @Path, @Sha256, @Bytes, @Now)
        ON CONFLICT (job_id, epoch, prompt_index) DO UPDATE SET
            attempt_id      = excluded.attempt_id,
            prompt          = excluded.prompt,
            negative_prompt = excluded.negative_prompt,
            seed            = excluded.seed,
            sampler         = excluded.sampler,
            sample_steps    = excluded.sample_steps,
            cfg_scale       = excluded.cfg_scale,
            width           = excluded.width,
            height          = excluded.height,
            path            = excluded.path,
            sha256          = excluded.sha256,
            bytes           = excluded.bytes,
            created_at      = excluded.created_at
        RETURNING id;
        """;

    private const string CheckpointsOfJobSql =
        """
        SELECT job_id AS JobId, attempt_id AS AttemptId, epoch AS Epoch, path AS Path, sha256 AS Sha256, bytes AS Bytes, created_at AS CreatedAt,
               data_sha256 AS DataSha256
        FROM checkpoints
        WHERE job_id = @JobId
        ORDER BY epoch;
        """;

    // The columns of a preview as PreviewRow reads them; every preview query selects these.
    private const string PreviewColumns =
        """
        id AS PreviewId, job_id AS JobId, attempt_id AS AttemptId, epoch AS Epoch, prompt_index AS PromptIndex,
               prompt AS Prompt, negative_prompt AS NegativePrompt, seed AS Seed, sampler AS Sampler,
               sample_steps AS SampleSteps, cfg_scale AS CfgScale, width AS Width, height AS Height,
               path AS Path, sha256 AS Sha256, bytes AS Bytes, created_at AS CreatedAt
        """;

    private const string PreviewsOfJobSql =
        $"""
        SELECT {PreviewColumns}
        FROM previews
        WHERE job_id = @JobId
        ORDER BY epoch, prompt_index;
        """;

    /// <summary>Records the LoRA file an attempt saved at the end of <paramref name="epoch"/>. Write the file completely first.</summary>
    public Task RecordCheckpointAsync(long attemptId, long epoch, ArtifactFile file, CancellationToken cancellationToken = default) =>
        WriteAsync(
            async (connection, transaction, token) =>
            {
                var jobId = await JobOfAttemptAsync(connection, transaction, attemptId, token);
                await connection.ExecuteAsync(new CommandDefinition(
                    UpsertCheckpointSql,
                    new { JobId = jobId, AttemptId = attemptId, Epoch = epoch, Path = file.RelativePath, file.Sha256, file.Bytes, Now = Now(), file.DataSha256 },
                    transaction,
                    cancellationToken: token));
                return jobId;
            },
            cancellationToken);

    /// <summary>
    /// Records a preview image an attempt sampled, and returns its id (the target of preview scores). Previews are
    /// PNGs: a <see cref="ArtifactFile.DataSha256"/> is not stored for them.
    /// </summary>
    public Task<long> RecordPreviewAsync(long attemptId, PreviewImage preview, CancellationToken cancellationToken = default) =>
        WriteAsync(
            async (connection, transaction, token) =>
            {
                var jobId = await JobOfAttemptAsync(connection, transaction, attemptId, token);
                return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    UpsertPreviewSql,
                    new
                    {
                        JobId = jobId,
                        AttemptId = attemptId,
                        preview.Epoch,
                        preview.PromptIndex,
                        preview.Prompt,
                        preview.NegativePrompt,
                        preview.Seed,
                        preview.Sampler,
                        preview.SampleSteps,
                        preview.CfgScale,
                        preview.Width,
                        preview.Height,
                        Path = preview.File.RelativePath,
                        preview.File.Sha256,
                        preview.File.Bytes,
                        Now = Now(),
                    },
                    transaction,
                    cancellationToken: token));
            },
            cancellationToken);

    /// <summary>A job's checkpoints by epoch.</summary>
    public Task<IReadOnlyList<StoredCheckpoint>> GetCheckpointsAsync(string jobId, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<StoredCheckpoint>>(
            async (connection, transaction, token) =>
            {
                var rows = await connection.QueryAsync<CheckpointRow>(new CommandDefinition(
                    CheckpointsOfJobSql, new { JobId = jobId }, transaction, cancellationToken: token));
                return rows.Select(row => new StoredCheckpoint(
                    row.JobId, row.AttemptId, row.Epoch, new ArtifactFile(row.Path, row.Bytes, row.Sha256, row.DataSha256), UtcText.Parse(row.CreatedAt))).ToList();
            },
            cancellationToken);

    /// <summary>A job's preview images by epoch and prompt.</summary>
    public Task<IReadOnlyList<StoredPreview>> GetPreviewsAsync(string jobId, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<StoredPreview>>(
            async (connection, transaction, token) =>
            {
                var rows = await connection.QueryAsync<PreviewRow>(new CommandDefinition(
                    PreviewsOfJobSql, new { JobId = jobId }, transaction, cancellationToken: token));
                return rows.Select(row => row.ToStored()).ToList();
            },
            cancellationToken);

    private async Task<string> JobOfAttemptAsync(SqliteConnection connection, SqliteTransaction transaction, long attemptId, CancellationToken cancellationToken) =>
        await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            JobOfAttemptSql, new { AttemptId = attemptId }, transaction, cancellationToken: cancellationToken))
        ?? throw new ResultsStoreException($"{DatabasePath}: no attempt with id {attemptId}; start an attempt before recording what it produced.");

    private sealed class CheckpointRow
    {
        public string JobId { get; init; } = "";

        public long AttemptId { get; init; }

        public long Epoch { get; init; }

        public string Path { get; init; } = "";

        public string Sha256 { get; init; } = "";

        public long Bytes { get; init; }

        public string CreatedAt { get; init; } = "";

        public string? DataSha256 { get; init; }
    }

    private sealed class PreviewRow
    {
        public long PreviewId { get; init; }

        public string JobId { get; init; } = "";

        public long AttemptId { get; init; }

        public long Epoch { get; init; }

        public long PromptIndex { get; init; }

        public string Prompt { get; init; } = "";

        public string NegativePrompt { get; init; } = "";

        public long Seed { get; init; }

        public string Sampler { get; init; } = "";

        public long SampleSteps { get; init; }

        public double CfgScale { get; init; }

        public long Width { get; init; }

        public long Height { get; init; }

        public string Path { get; init; } = "";

        public string Sha256 { get; init; } = "";

        public long Bytes { get; init; }

        public string CreatedAt { get; init; } = "";

        public StoredPreview ToStored() => new(
            PreviewId,
            JobId,
            AttemptId,
            new PreviewImage(
                Epoch,
                (int)PromptIndex,
                Prompt,
                NegativePrompt,
                Seed,
                Sampler,
                (int)SampleSteps,
                CfgScale,
                (int)Width,
                (int)Height,
                new ArtifactFile(Path, Bytes, Sha256)),
            UtcText.Parse(CreatedAt));
    }
}
