using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;
using SweepRunner.Core.Results;
using SweepRunner.Store.Time;

namespace SweepRunner.Store;

/// <summary>Report data: a sweep's export plus each job's individual scores, previews, loss curve and failures.</summary>
public sealed partial class ResultsStore
{
    // The latest score per job, preview, epoch and scorer; a preview score takes its preview's epoch.
    private const string LatestScoresOfSweepSql =
        """
        SELECT ScoreId, JobId, PreviewId, Scorer, Value, Blind, Note, ScoredAt, Epoch
        FROM (
            SELECT s.id AS ScoreId, s.job_id AS JobId, s.preview_id AS PreviewId, s.scorer AS Scorer, s.value AS Value,
                   s.blind AS Blind, s.note AS Note, s.scored_at AS ScoredAt, coalesce(s.epoch, p.epoch) AS Epoch,
                   row_number() OVER (PARTITION BY s.job_id, s.preview_id, s.epoch, s.scorer ORDER BY s.id DESC) AS recency
            FROM scores s
            LEFT JOIN previews p ON p.id = s.preview_id
            WHERE s.job_id IN (SELECT job_id FROM sweep_jobs WHERE sweep_id = @SweepId)
        )
        WHERE recency = 1
        ORDER BY JobId, PreviewId IS NOT NULL, PreviewId, Epoch, Scorer, ScoreId;
        """;

    // The attempts are passed as a JSON array of ids, so any number of them is one parameter.
    private const string LossOfAttemptsSql =
        """
        SELECT attempt_id AS AttemptId, step AS Step, epoch AS Epoch, loss AS Loss
        FROM metrics
        WHERE attempt_id IN (SELECT value FROM json_each(@AttemptIds))
        ORDER BY attempt_id, step;
        """;

    /// <summary>Everything a report of <paramref name="sweepName"/> needs, read in one transaction.</summary>
    public Task<SweepReportData> GetSweepReportDataAsync(string sweepName, CancellationToken cancellationToken = default) =>
        ReadAsync(
            async (connection, transaction, token) =>
            {
                var snapshot = await ReadSweepSnapshotAsync(connection, transaction, sweepName, token);
                var export = await BuildSweepExportAsync(connection, transaction, snapshot, token);
                var parameters = new { SweepId = snapshot.Sweep.Id };

                var scores = (await connection.QueryAsync<ReportScoreRow>(new CommandDefinition(
                        LatestScoresOfSweepSql, parameters, transaction, cancellationToken: token)))
                    .ToLookup(row => row.JobId, StringComparer.Ordinal);
                var previews = (await connection.QueryAsync<PreviewRow>(new CommandDefinition(
                        PreviewsOfSweepSql, parameters, transaction, cancellationToken: token)))
                    .ToLookup(row => row.JobId, StringComparer.Ordinal);

                var representatives = snapshot.Entries
                    .Select(entry => entry.JobId)
                    .Distinct(StringComparer.Ordinal)
                    .Select(jobId => (JobId: jobId, Attempt: snapshot.RepresentativeAttempt(jobId)))
                    .Where(pair => pair.Attempt is not null)
                    .ToDictionary(pair => pair.JobId, pair => pair.Attempt!, StringComparer.Ordinal);
                var attemptIds = "[" + string.Join(",", representatives.Values.Select(attempt => attempt.AttemptId.ToString(CultureInfo.InvariantCulture))) + "]";
                var loss = (await connection.QueryAsync<LossRow>(new CommandDefinition(
                        LossOfAttemptsSql, new { AttemptIds = attemptIds }, transaction, cancellationToken: token)))
                    .ToLookup(row => row.AttemptId);

                var jobs = snapshot.Entries.Select(entry =>
                {
                    representatives.TryGetValue(entry.JobId, out var attempt);
                    return new JobReportDetail(
                        entry.Label,
                        entry.JobId,
                        scores[entry.JobId].Select(row => row.ToRecord()).ToList(),
                        previews[entry.JobId].Select(row => ToReportPreview(row.ToStored())).ToList(),
                        attempt is null ? [] : loss[attempt.AttemptId].Select(row => new LossPoint(row.Step, row.Epoch, row.Loss)).ToList(),
                        attempt?.Timings?.TrainSeconds,
                        attempt?.Outcome,
                        attempt?.ErrorText,
                        snapshot.AttemptsByJob[entry.JobId]
                            .Where(a => a.Outcome is { } outcome && outcome != AttemptOutcome.Succeeded)
                            .Select(a => new AttemptFailure(a.AttemptId, a.Outcome!.Value, a.ErrorText, a.EndedAt))
                            .ToList());
                }).ToList();
                return new SweepReportData(export, jobs);
            },
            cancellationToken);

    private static ReportPreview ToReportPreview(StoredPreview stored) => new(
        stored.PreviewId, stored.Image.Epoch, stored.Image.PromptIndex, stored.Image.Prompt, stored.Image.Seed,
        stored.Image.Width, stored.Image.Height, stored.Image.File.RelativePath);

    private sealed class ReportScoreRow
    {
        public long ScoreId { get; init; }

        public string JobId { get; init; } = "";

        public long? PreviewId { get; init; }

        public string Scorer { get; init; } = "";

        public double Value { get; init; }

        public bool Blind { get; init; }

        public string? Note { get; init; }

        public string ScoredAt { get; init; } = "";

        public long? Epoch { get; init; }

        public ReportScore ToRecord() => new(ScoreId, Scorer, Value, Note, Blind, PreviewId, Epoch, UtcText.Parse(ScoredAt));
    }

    private sealed class LossRow
    {
        public long AttemptId { get; init; }

        public long Step { get; init; }

        public long Epoch { get; init; }

        public double? Loss { get; init; }
    }
}
