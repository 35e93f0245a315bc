using Dapper;
using SweepRunner.Core.Planning;
using SweepRunner.Core.Results;
using SweepRunner.Core.Running;
using SweepRunner.Core.Settings;

namespace SweepRunner.Store;

/// <summary>Job specs: what a worker trains, recorded by the run that planned it (see migration 0006).</summary>
public sealed partial class ResultsStore
{
    private const string UpsertJobSpecSql =
        """
        INSERT INTO job_specs (sweep_id, job_id, label, settings_json, steps_per_epoch, total_steps, dataset_path, caption_extension,
                               dataset_fingerprint, base_model, sample_prompts_path, sample_prompts_text, recorded_at,
                               prefix_key, continues_job_id, continues_step, validation_folder, auto_score_clip, auto_score_dino)
        VALUES (@SweepId, @JobId, @Label, @SettingsJson, @StepsPerEpoch, @TotalSteps, @DatasetPath, @CaptionExtension,
                @DatasetFingerprint, @BaseModel, @SamplePromptsPath, @SamplePromptsText, @Now,
                @PrefixKey, @ContinuesJobId, @ContinuesStep, @ValidationFolder, @AutoScoreClip, @AutoScoreDino)
        ON CONFLICT (sweep_id, job_id) DO UPDATE SET
            label               = excluded.label,
            settings_json       = excluded.settings_json,
            steps_per_epoch     = excluded.steps_per_epoch,
            total_steps         = excluded.total_steps,
            dataset_path        = excluded.dataset_path,
            caption_extension   = excluded.caption_extension,
            dataset_fingerprint = excluded.dataset_fingerprint,
            base_model          = excluded.base_model,
            sample_prompts_path = excluded.sample_prompts_path,
            sample_prompts_text = excluded.sample_prompts_text,
            recorded_at         = excluded.recorded_at,
            prefix_key          = excluded.prefix_key,
            continues_job_id    = excluded.continues_job_id,
            continues_step      = excluded.continues_step,
            validation_folder   = excluded.validation_folder,
            auto_score_clip     = excluded.auto_score_clip,
            auto_score_dino     = excluded.auto_score_dino;
        """;

    private const string JobSpecSql =
        """
        SELECT js.job_id AS JobId, js.label AS Label, js.settings_json AS SettingsJson, js.steps_per_epoch AS StepsPerEpoch,
               js.total_steps AS TotalSteps, js.dataset_path AS DatasetPath, js.caption_extension AS CaptionExtension,
               js.dataset_fingerprint AS DatasetFingerprint, js.base_model AS BaseModel,
               js.sample_prompts_path AS SamplePromptsPath, js.sample_prompts_text AS SamplePromptsText,
               js.prefix_key AS PrefixKey, js.continues_job_id AS ContinuesJobId, js.continues_step AS ContinuesStep,
               js.validation_folder AS ValidationFolder, js.auto_score_clip AS AutoScoreClip, js.auto_score_dino AS AutoScoreDino,
               (SELECT c.label FROM job_specs c JOIN sweeps cs ON cs.id = c.sweep_id
                WHERE c.job_id = js.continues_job_id ORDER BY c.sweep_id = js.sweep_id DESC, c.recorded_at DESC LIMIT 1) AS ContinuesLabel,
               (SELECT cs.name FROM job_specs c JOIN sweeps cs ON cs.id = c.sweep_id
                WHERE c.job_id = js.continues_job_id ORDER BY c.sweep_id = js.sweep_id DESC, c.recorded_at DESC LIMIT 1) AS ContinuesSweep
        FROM job_specs js
        WHERE js.sweep_id = @SweepId AND js.job_id = @JobId;
        """;

    /// <summary>
    /// Records what workers are to train, replacing an earlier spec of the same sweep and job. The sweeps and jobs
    /// must be registered already (<see cref="RegisterSweepAsync"/>).
    /// </summary>
    public Task RecordJobSpecsAsync(IReadOnlyList<JobSpec> specs, CancellationToken cancellationToken = default) =>
        WriteAsync(
            async (connection, transaction, token) =>
            {
                var now = Now();
                foreach (var sweep in specs.GroupBy(spec => spec.SweepName, StringComparer.Ordinal))
                {
                    var sweepId = (await FindSweepAsync(connection, transaction, sweep.Key, token)).Id;
                    foreach (var spec in sweep)
                    {
                        await RequireJobAsync(connection, transaction, spec.JobId, token);
                        if (spec.Continues is { } continues) await RequireJobAsync(connection, transaction, continues.JobId, token);
                        await connection.ExecuteAsync(new CommandDefinition(
                            UpsertJobSpecSql,
                            new
                            {
                                SweepId = sweepId,
                                spec.JobId,
                                spec.Label,
                                SettingsJson = SettingsJson.Serialize(spec.Settings),
                                spec.StepsPerEpoch,
                                spec.TotalSteps,
                                DatasetPath = spec.DatasetFolder,
                                spec.CaptionExtension,
                                spec.DatasetFingerprint,
                                spec.BaseModel,
                                SamplePromptsPath = spec.SamplePrompts?.Path,
                                SamplePromptsText = spec.SamplePrompts?.Text,
                                Now = now,
                                spec.PrefixKey,
                                ContinuesJobId = spec.Continues?.JobId,
                                ContinuesStep = spec.Continues?.Step,
                                spec.ValidationFolder,
                                AutoScoreClip = spec.AutoScores?.Clip,
                                AutoScoreDino = spec.AutoScores?.Dino,
                            },
                            transaction,
                            cancellationToken: token));
                    }
                }

                return specs.Count;
            },
            cancellationToken);

    /// <summary>The spec a run recorded for this job of this sweep.</summary>
    /// <exception cref="ResultsStoreException">The sweep is unknown, or no run recorded a spec of the job for it.</exception>
    public Task<JobSpec> GetJobSpecAsync(string sweepName, string jobId, CancellationToken cancellationToken = default) =>
        ReadAsync(
            async (connection, transaction, token) =>
            {
                var sweep = await FindSweepAsync(connection, transaction, sweepName, token);
                var row = await connection.QuerySingleOrDefaultAsync<JobSpecRow>(new CommandDefinition(
                    JobSpecSql, new { SweepId = sweep.Id, JobId = jobId }, transaction, cancellationToken: token))
                    ?? throw new ResultsStoreException(
                        $"{DatabasePath}: sweep '{sweepName}' has no spec of job '{jobId}'. 'sweeprunner run' records the spec of every job it trains; run the sweep with it.");
                return new JobSpec(sweep.Name, row.JobId, row.Label, JobSpec.ParseSettings(row.SettingsJson), row.StepsPerEpoch, row.TotalSteps,
                    row.DatasetPath, row.CaptionExtension, row.DatasetFingerprint, row.BaseModel,
                    row.SamplePromptsPath is null ? null : new SamplePromptsSnapshot(row.SamplePromptsPath, row.SamplePromptsText))
                {
                    PrefixKey = row.PrefixKey,
                    ValidationFolder = row.ValidationFolder,
                    AutoScores = row.AutoScoreClip is null && row.AutoScoreDino is null ? null : new Core.Sweeps.AutoScoreModels(row.AutoScoreClip, row.AutoScoreDino),
                    Continues = row.ContinuesJobId is { } continued
                        ? new JobContinuation(continued, row.ContinuesLabel ?? continued, row.ContinuesStep ?? 0, row.ContinuesSweep == sweep.Name ? null : row.ContinuesSweep)
                        : null,
                };
            },
            cancellationToken);

    private sealed class JobSpecRow
    {
        public string JobId { get; init; } = "";

        public string Label { get; init; } = "";

        public string SettingsJson { get; init; } = "";

        public long StepsPerEpoch { get; init; }

        public long TotalSteps { get; init; }

        public string DatasetPath { get; init; } = "";

        public string CaptionExtension { get; init; } = "";

        public string DatasetFingerprint { get; init; } = "";

        public string BaseModel { get; init; } = "";

        public string? SamplePromptsPath { get; init; }

        public string? SamplePromptsText { get; init; }

        public string? PrefixKey { get; init; }

        public string? ContinuesJobId { get; init; }

        public long? ContinuesStep { get; init; }

        public string? ContinuesLabel { get; init; }

        public string? ContinuesSweep { get; init; }

        public string? ValidationFolder { get; init; }

        public string? AutoScoreClip { get; init; }

        public string? AutoScoreDino { get; init; }
    }
}
