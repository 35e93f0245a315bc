using Dapper;
using SweepRunner.Core.Results;

namespace SweepRunner.Store;

/// <summary>
/// Measured training speed, from the timings of succeeded attempts, for better time estimates: one sample per
/// job, optionally on one device; <see cref="Core.Planning.MeasuredStepTimes"/> turns them into the planner's speeds.
/// </summary>
public sealed partial class ResultsStore
{
    // Steps trained by an attempt: the job's total minus the step it resumed from.
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

    private sealed class SpeedSampleRow
    {
        public string JobId { get; init; } = "";

        public string SettingsJson { get; init; } = "";

        public double TrainSeconds { get; init; }

        public long Steps { get; init; }
    }
}
