using Dapper;
using Microsoft.Data.Sqlite;
using SweepRunner.Core.Results;

namespace SweepRunner.Store;

/// <summary>Scores given by sweep label (the command line and CSV imports), all or nothing.</summary>
public sealed partial class ResultsStore
{
    private const string LabelsOfSweepSql =
        """
        SELECT label AS Label, job_id AS JobId FROM sweep_jobs WHERE sweep_id = @SweepId;
        """;

    // The epochs of a job that have something to judge: a saved LoRA or previews.
    private const string ScorableEpochsSql =
        """
        SELECT job_id AS JobId, epoch AS Epoch FROM checkpoints WHERE job_id IN (SELECT job_id FROM sweep_jobs WHERE sweep_id = @SweepId)
        UNION
        SELECT job_id, epoch FROM previews WHERE job_id IN (SELECT job_id FROM sweep_jobs WHERE sweep_id = @SweepId)
        ORDER BY 1, 2;
        """;

    /// <summary>
    /// Adds scores to jobs of a sweep by label, in one transaction: when any score names an unknown label, an
    /// epoch with nothing saved, or a job with nothing to judge yet, none is added and the error lists every problem.
    /// Returns the ids of the added scores, in order.
    /// </summary>
    public Task<IReadOnlyList<long>> AddSweepScoresAsync(
        string sweepName, IReadOnlyList<LabelledScore> scores, CancellationToken cancellationToken = default)
    {
        foreach (var labelled in scores)
        {
            try
            {
                ValidateScore(labelled.Score);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"{labelled.Source}: {FirstLine(e.Message)}", nameof(scores), e);
            }
        }

        return WriteAsync<IReadOnlyList<long>>(
            async (connection, transaction, token) =>
            {
                var sweep = await FindSweepAsync(connection, transaction, sweepName, token);
                var jobs = await LabelledJobsAsync(connection, transaction, sweep.Id, token);
                var problems = new List<string>();
                foreach (var labelled in scores)
                {
                    if (FindScoreProblem(labelled, jobs) is { } problem)
                    {
                        problems.Add($"{labelled.Source}: {problem}");
                    }
                }

                if (problems.Count > 0)
                {
                    throw new ResultsStoreException(
                        $"{DatabasePath}: no score was added to sweep '{sweepName}':{Environment.NewLine}  " +
                        string.Join(Environment.NewLine + "  ", problems));
                }

                var ids = new List<long>(scores.Count);
                foreach (var labelled in scores)
                {
                    ids.Add(await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                        InsertJobScoreSql,
                        new
                        {
                            JobId = jobs[labelled.Label].JobId, labelled.Epoch, labelled.Score.Scorer, labelled.Score.Value,
                            labelled.Score.Blind, labelled.Score.Note, Now = Now(),
                        },
                        transaction,
                        cancellationToken: token)));
                }

                return ids;
            },
            cancellationToken);
    }

    private static string? FindScoreProblem(LabelledScore labelled, IReadOnlyDictionary<string, LabelledJob> jobs)
    {
        if (!jobs.TryGetValue(labelled.Label, out var job))
        {
            var known = string.Join(", ", jobs.Keys.Order(StringComparer.Ordinal));
            return $"the sweep has no job labelled '{labelled.Label}' (its labels: {known})";
        }

        if (job.Epochs.Count == 0)
        {
            return $"job '{labelled.Label}' has saved no LoRA or preview yet; score it after it has trained";
        }

        if (labelled.Epoch is { } epoch && !job.Epochs.Contains(epoch))
        {
            return $"job '{labelled.Label}' has nothing saved at epoch {epoch} (epochs with a LoRA or previews: {string.Join(", ", job.Epochs)})";
        }

        return null;
    }

    private static async Task<IReadOnlyDictionary<string, LabelledJob>> LabelledJobsAsync(
        SqliteConnection connection, SqliteTransaction transaction, long sweepId, CancellationToken cancellationToken)
    {
        var parameters = new { SweepId = sweepId };
        var labels = await connection.QueryAsync<LabelRow>(new CommandDefinition(
            LabelsOfSweepSql, parameters, transaction, cancellationToken: cancellationToken));
        var epochs = (await connection.QueryAsync<JobEpochRow>(new CommandDefinition(
                ScorableEpochsSql, parameters, transaction, cancellationToken: cancellationToken)))
            .ToLookup(row => row.JobId, row => row.Epoch, StringComparer.Ordinal);
        return labels.ToDictionary(
            row => row.Label,
            row => new LabelledJob(row.JobId, epochs[row.JobId].ToList()),
            StringComparer.Ordinal);
    }

    private static string FirstLine(string message) => message.Split(Environment.NewLine)[0].Split(" (Parameter ")[0];

    private sealed record LabelledJob(string JobId, IReadOnlyList<long> Epochs);

    private sealed class LabelRow
    {
        public string Label { get; init; } = "";

        public string JobId { get; init; } = "";
    }

    private sealed class JobEpochRow
    {
        public string JobId { get; init; } = "";

        public long Epoch { get; init; }
    }
}
