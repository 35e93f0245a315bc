using System.Text.Json;
using Dapper;
using SweepRunner.Core.Results;

namespace SweepRunner.Store;

/// <summary>
/// Measured training speed, from the timings of succeeded attempts, for better time estimates: of one job,
/// or of every job that agrees with given settings on chosen keys (say network_dim, train_batch_size and
/// resolution), optionally on one device.
/// </summary>
public sealed partial class ResultsStore
{
    // Steps trained by an attempt: the job's total minus the step it resumed from.
    private const string SpeedOfJobSql =
        """
        SELECT sum(t.train_seconds) AS TrainSeconds,
               sum(j.total_steps - a.resumed_from_step) AS Steps,
               avg(t.load_seconds + t.cache_seconds + t.sample_seconds + t.save_seconds) AS MeanOverheadSeconds,
               count(*) AS Attempts
        FROM attempts a
        JOIN timings t ON t.attempt_id = a.id
        JOIN jobs j ON j.id = a.job_id
        WHERE a.outcome = 'succeeded'
          AND j.total_steps > a.resumed_from_step
          AND (@Device IS NULL OR a.device = @Device)
          AND a.job_id = @JobId;
        """;

    private const string SpeedOfMatchingSettingsSql =
        """
        SELECT sum(t.train_seconds) AS TrainSeconds,
               sum(j.total_steps - a.resumed_from_step) AS Steps,
               avg(t.load_seconds + t.cache_seconds + t.sample_seconds + t.save_seconds) AS MeanOverheadSeconds,
               count(*) AS Attempts
        FROM attempts a
        JOIN timings t ON t.attempt_id = a.id
        JOIN jobs j ON j.id = a.job_id
        WHERE a.outcome = 'succeeded'
          AND j.total_steps > a.resumed_from_step
          AND (@Device IS NULL OR a.device = @Device)
          AND NOT EXISTS (
              SELECT 1 FROM json_each(@KeysJson) k
              WHERE json_extract(j.settings_json, '$."' || k.value || '"')
                    IS NOT json_extract(@SettingsJson, '$."' || k.value || '"'));
        """;

    private const string SpeedSamplesSql =
        """
        SELECT j.id AS JobId, j.settings_json AS SettingsJson, sum(t.train_seconds) AS TrainSeconds,
               sum(j.total_steps - a.resumed_from_step) AS Steps
        FROM attempts a
        JOIN timings t ON t.attempt_id = a.id
        JOIN jobs j ON j.id = a.job_id
        WHERE a.outcome = 'succeeded'
          AND j.total_steps > a.resumed_from_step
          AND (@Device IS NULL OR a.device = @Device)
        GROUP BY j.id
        ORDER BY j.id;
        """;

    /// <summary>Every job's measured training time and steps, over its succeeded attempts, for estimating later plans.</summary>
    public Task<IReadOnlyList<SpeedSample>> GetSpeedSamplesAsync(string? device = null, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<SpeedSample>>(
            async (connection, transaction, token) => (await connection.QueryAsync<SpeedSampleRow>(new CommandDefinition(
                    SpeedSamplesSql, new { Device = device }, transaction, cancellationToken: token)))
                .Select(row => new SpeedSample(row.JobId, row.SettingsJson, row.TrainSeconds, row.Steps))
                .ToList(),
            cancellationToken);

    /// <summary>The measured speed of one job over its succeeded attempts, or null when none has timings.</summary>
    public Task<MeasuredSpeed?> GetJobSpeedAsync(string jobId, string? device = null, CancellationToken cancellationToken = default) =>
        ReadAsync(
            async (connection, transaction, token) => (await connection.QuerySingleAsync<SpeedRow>(new CommandDefinition(
                SpeedOfJobSql, new { JobId = jobId, Device = device }, transaction, cancellationToken: token))).ToSpeed(),
            cancellationToken);

    /// <summary>
    /// The measured speed over every job whose settings equal <paramref name="settingsJson"/> on each of
    /// <paramref name="keys"/> (all jobs when no key is given), or null when none has succeeded with timings.
    /// </summary>
    public Task<MeasuredSpeed?> GetSpeedForSettingsAsync(
        string settingsJson,
        IReadOnlyCollection<string> keys,
        string? device = null,
        CancellationToken cancellationToken = default)
    {
        var keysJson = JsonSerializer.Serialize(keys);
        return ReadAsync(
            async (connection, transaction, token) => (await connection.QuerySingleAsync<SpeedRow>(new CommandDefinition(
                SpeedOfMatchingSettingsSql,
                new { SettingsJson = settingsJson, KeysJson = keysJson, Device = device },
                transaction,
                cancellationToken: token))).ToSpeed(),
            cancellationToken);
    }

    private sealed class SpeedSampleRow
    {
        public string JobId { get; init; } = "";

        public string SettingsJson { get; init; } = "";

        public double TrainSeconds { get; init; }

        public long Steps { get; init; }
    }

    private sealed class SpeedRow
    {
        public double? TrainSeconds { get; init; }

        public long? Steps { get; init; }

        public double? MeanOverheadSeconds { get; init; }

        public long Attempts { get; init; }

        public MeasuredSpeed? ToSpeed() =>
            Attempts == 0 || Steps is not > 0 || TrainSeconds is null || MeanOverheadSeconds is null
                ? null
                : new MeasuredSpeed(TrainSeconds.Value / Steps.Value, MeanOverheadSeconds.Value, Steps.Value, (int)Attempts);
    }
}
