using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using SweepRunner.Core.Results;
using SweepRunner.Store.Time;

namespace SweepRunner.Store;

/// <summary>Registering planned sweeps and their jobs, and finding sweeps again.</summary>
public sealed partial class ResultsStore
{
    private const string UpsertSweepSql =
        """
        INSERT INTO sweeps (name, source_file, source_text, created_at, updated_at)
        VALUES (@Name, @SourceFile, @SourceText, @Now, @Now)
        ON CONFLICT (name) DO UPDATE SET
            source_file = excluded.source_file,
            source_text = excluded.source_text,
            updated_at  = excluded.updated_at
        RETURNING id;
        """;

    private const string SweepExistsSql = "SELECT count(*) FROM sweeps WHERE name = @Name;";

    private const string CountKnownJobsSql =
        "SELECT count(*) FROM jobs WHERE id IN (SELECT value FROM json_each(@JobIdsJson));";

    // A job's settings are fixed by its id; a new plan may still refresh the figures derived from them.
    private const string UpsertJobSql =
        """
        INSERT INTO jobs (id, settings_json, steps_per_epoch, total_steps, state, created_at, updated_at)
        VALUES (@JobId, @SettingsJson, @StepsPerEpoch, @TotalSteps, 'planned', @Now, @Now)
        ON CONFLICT (id) DO UPDATE SET
            settings_json   = excluded.settings_json,
            steps_per_epoch = excluded.steps_per_epoch,
            total_steps     = excluded.total_steps,
            updated_at      = excluded.updated_at
        WHERE jobs.settings_json IS NOT excluded.settings_json
           OR jobs.steps_per_epoch IS NOT excluded.steps_per_epoch
           OR jobs.total_steps IS NOT excluded.total_steps;
        """;

    private const string UnlinkDroppedLabelsSql =
        """
        DELETE FROM sweep_jobs
        WHERE sweep_id = @SweepId AND label NOT IN (SELECT value FROM json_each(@LabelsJson))
        RETURNING label;
        """;

    private const string UpsertSweepJobSql =
        """
        INSERT INTO sweep_jobs (sweep_id, label, job_id, position, diff_json, duplicate_of_label, estimated_seconds, replicate_group, replicate_index)
        VALUES (@SweepId, @Label, @JobId, @Position, @DiffJson, @DuplicateOfLabel, @EstimatedSeconds, @ReplicateGroup, @Replicate)
        ON CONFLICT (sweep_id, label) DO UPDATE SET
            job_id             = excluded.job_id,
            position           = excluded.position,
            diff_json          = excluded.diff_json,
            duplicate_of_label = excluded.duplicate_of_label,
            estimated_seconds  = excluded.estimated_seconds,
            replicate_group    = excluded.replicate_group,
            replicate_index    = excluded.replicate_index;
        """;

    private const string ListSweepsSql =
        """
        SELECT s.name AS Name, s.source_file AS SourceFile, s.created_at AS CreatedAt, s.updated_at AS UpdatedAt,
               (SELECT count(*) FROM sweep_jobs sj WHERE sj.sweep_id = s.id) AS JobCount
        FROM sweeps s
        ORDER BY s.created_at, s.name;
        """;

    private const string FindSweepSql =
        "SELECT id AS Id, name AS Name, source_file AS SourceFile, updated_at AS UpdatedAt FROM sweeps WHERE name = @Name;";

    private const string SweepNamesSql = "SELECT name FROM sweeps ORDER BY name;";

    private const string SetJobStateSql =
        "UPDATE jobs SET state = @State, updated_at = @Now WHERE id = @JobId;";

    private const string JobStateSql = "SELECT state FROM jobs WHERE id = @JobId;";

    /// <summary>
    /// Records a planned sweep. Planning the same sweep (same name) again updates its file and links without
    /// duplicating jobs: jobs already known (from this sweep or another) keep their state, attempts and
    /// scores; labels the new plan no longer has are unlinked from the sweep, their jobs kept.
    /// </summary>
    public Task<SweepRegistrationResult> RegisterSweepAsync(SweepRegistration sweep, CancellationToken cancellationToken = default)
    {
        ValidateRegistration(sweep);
        var distinctJobs = sweep.Jobs.DistinctBy(job => job.JobId).ToList();
        var jobIdsJson = JsonSerializer.Serialize(distinctJobs.Select(job => job.JobId));
        var labelsJson = JsonSerializer.Serialize(sweep.Jobs.Select(job => job.Label));

        return WriteAsync(
            async (connection, transaction, token) =>
            {
                var now = Now();
                var existed = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    SweepExistsSql, new { sweep.Name }, transaction, cancellationToken: token)) > 0;
                var sweepId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    UpsertSweepSql, new { sweep.Name, sweep.SourceFile, sweep.SourceText, Now = now }, transaction, cancellationToken: token));
                var knownJobs = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    CountKnownJobsSql, new { JobIdsJson = jobIdsJson }, transaction, cancellationToken: token));

                await connection.ExecuteAsync(new CommandDefinition(
                    UpsertJobSql,
                    distinctJobs.Select(job => new { job.JobId, job.SettingsJson, job.StepsPerEpoch, job.TotalSteps, Now = now }),
                    transaction,
                    cancellationToken: token));

                var unlinked = (await connection.QueryAsync<string>(new CommandDefinition(
                    UnlinkDroppedLabelsSql, new { SweepId = sweepId, LabelsJson = labelsJson }, transaction, cancellationToken: token))).ToList();

                await connection.ExecuteAsync(new CommandDefinition(
                    UpsertSweepJobSql,
                    sweep.Jobs.Select((job, position) => new
                    {
                        SweepId = sweepId,
                        job.Label,
                        job.JobId,
                        Position = position,
                        job.DiffJson,
                        job.DuplicateOfLabel,
                        job.EstimatedSeconds,
                        job.ReplicateGroup,
                        job.Replicate,
                    }),
                    transaction,
                    cancellationToken: token));

                unlinked.Sort(StringComparer.Ordinal);
                return new SweepRegistrationResult(
                    sweep.Name,
                    !existed,
                    distinctJobs.Count - (int)knownJobs,
                    (int)knownJobs,
                    unlinked);
            },
            cancellationToken);
    }

    /// <summary>Every sweep in the database, oldest first.</summary>
    public Task<IReadOnlyList<SweepSummary>> ListSweepsAsync(CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<SweepSummary>>(
            async (connection, transaction, token) =>
            {
                var rows = await connection.QueryAsync<SweepSummaryRow>(new CommandDefinition(ListSweepsSql, transaction: transaction, cancellationToken: token));
                return rows.Select(row => new SweepSummary(
                    row.Name, row.SourceFile, UtcText.Parse(row.CreatedAt), UtcText.Parse(row.UpdatedAt), (int)row.JobCount)).ToList();
            },
            cancellationToken);

    /// <summary>Sets a job's state directly, for example back to planned before running it again.</summary>
    public Task SetJobStateAsync(string jobId, JobState state, CancellationToken cancellationToken = default) =>
        WriteAsync(
            async (connection, transaction, token) =>
            {
                var changed = await connection.ExecuteAsync(new CommandDefinition(
                    SetJobStateSql, new { JobId = jobId, State = StoredNames.Of(state), Now = Now() }, transaction, cancellationToken: token));
                if (changed == 0)
                {
                    throw UnknownJob(jobId);
                }

                return changed;
            },
            cancellationToken);

    /// <summary>A job's current state.</summary>
    public Task<JobState> GetJobStateAsync(string jobId, CancellationToken cancellationToken = default) =>
        ReadAsync(
            async (connection, transaction, token) =>
            {
                var state = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
                    JobStateSql, new { JobId = jobId }, transaction, cancellationToken: token));
                return state is null ? throw UnknownJob(jobId) : StoredNames.ParseJobState(state);
            },
            cancellationToken);

    private async Task<SweepRow> FindSweepAsync(SqliteConnection connection, SqliteTransaction transaction, string sweepName, CancellationToken cancellationToken)
    {
        var sweep = await connection.QuerySingleOrDefaultAsync<SweepRow>(new CommandDefinition(
            FindSweepSql, new { Name = sweepName }, transaction, cancellationToken: cancellationToken));
        if (sweep is not null)
        {
            return sweep;
        }

        var known = (await connection.QueryAsync<string>(new CommandDefinition(SweepNamesSql, transaction: transaction, cancellationToken: cancellationToken))).ToList();
        var knownText = known.Count == 0 ? "it holds no sweep yet" : "it holds: " + string.Join(", ", known);
        throw new ResultsStoreException(
            $"{DatabasePath}: no sweep named '{sweepName}' ({knownText}). Register it with 'sweeprunner plan <sweep file> --save'.");
    }

    private ResultsStoreException UnknownJob(string jobId) =>
        new($"{DatabasePath}: no job with id '{jobId}'. Register the sweep that plans it with 'sweeprunner plan <sweep file> --save'.");

    private static void ValidateRegistration(SweepRegistration sweep)
    {
        if (string.IsNullOrWhiteSpace(sweep.Name))
        {
            throw new ArgumentException($"sweep from '{sweep.SourceFile}' has no name", nameof(sweep));
        }

        var labels = new HashSet<string>(StringComparer.Ordinal);
        var settingsById = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var job in sweep.Jobs)
        {
            if (string.IsNullOrWhiteSpace(job.Label) || string.IsNullOrWhiteSpace(job.JobId))
            {
                throw new ArgumentException($"sweep '{sweep.Name}': every job needs a label and an id", nameof(sweep));
            }

            if (!labels.Add(job.Label))
            {
                throw new ArgumentException($"sweep '{sweep.Name}': the label '{job.Label}' is given to more than one job", nameof(sweep));
            }

            if (settingsById.TryGetValue(job.JobId, out var settings) && settings != job.SettingsJson)
            {
                throw new ArgumentException(
                    $"sweep '{sweep.Name}': job id '{job.JobId}' (label '{job.Label}') comes with two different settings; a job id must identify one set of settings",
                    nameof(sweep));
            }

            settingsById[job.JobId] = job.SettingsJson;
        }

        foreach (var job in sweep.Jobs)
        {
            if (job.DuplicateOfLabel is not null && !labels.Contains(job.DuplicateOfLabel))
            {
                throw new ArgumentException(
                    $"sweep '{sweep.Name}': job '{job.Label}' is marked a duplicate of '{job.DuplicateOfLabel}', which the sweep does not have",
                    nameof(sweep));
            }
        }
    }

    private sealed class SweepSummaryRow
    {
        public string Name { get; init; } = "";

        public string SourceFile { get; init; } = "";

        public string CreatedAt { get; init; } = "";

        public string UpdatedAt { get; init; } = "";

        public long JobCount { get; init; }
    }

    private sealed class SweepRow
    {
        public long Id { get; init; }

        public string Name { get; init; } = "";

        public string SourceFile { get; init; } = "";

        public string UpdatedAt { get; init; } = "";
    }
}
