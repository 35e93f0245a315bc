using System.Globalization;
using Dapper;
using SweepRunner.Core.Results;

namespace SweepRunner.Store;

/// <summary>Report data: a sweep's export (with each job's score) plus each job's previews, loss curve and failures.</summary>
public sealed partial class ResultsStore
{
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

                var previews = (await connection.QueryAsync<PreviewRow>(new CommandDefinition(
                        PreviewsOfSweepSql, parameters, transaction, cancellationToken: token)))
                    .ToLookup(row => row.JobId, StringComparer.Ordinal);

                var representatives = snapshot.Entries
                    .Select(entry => entry.JobId)
                    .Distinct(StringComparer.Ordinal)
                    .Select(jobId => (JobId: jobId, Attempt: snapshot.RepresentativeAttempt(jobId)))
                    .Where(pair => pair.Attempt is not null)
                    .ToDictionary(pair => pair.JobId, pair => pair.Attempt!, StringComparer.Ordinal);
                var historyAttempts = representatives.ToDictionary(pair => pair.Key, pair => snapshot.HistoryAttempts(pair.Key), StringComparer.Ordinal);
                var attemptIds = "[" + string.Join(",", historyAttempts.Values.SelectMany(ids => ids).Select(id => id.ToString(CultureInfo.InvariantCulture))) + "]";
                var lossByAttempt = (await connection.QueryAsync<LossRow>(new CommandDefinition(
                        LossOfAttemptsSql, new { AttemptIds = attemptIds }, transaction, cancellationToken: token)))
                    .ToLookup(row => row.AttemptId);
                var loss = historyAttempts.ToDictionary(
                    pair => pair.Key,
                    pair => pair.Value.SelectMany(id => lossByAttempt[id]).GroupBy(row => row.Step).Select(step => step.MaxBy(row => row.AttemptId)!)
                        .OrderBy(row => row.Step).Select(row => new LossPoint(row.Step, row.Epoch, row.Loss)).ToList(),
                    StringComparer.Ordinal);

                var jobs = snapshot.Entries.Select(entry =>
                {
                    representatives.TryGetValue(entry.JobId, out var attempt);
                    return new JobReportDetail(
                        entry.Label,
                        entry.JobId,
                        previews[entry.JobId].Select(row => ToReportPreview(row.ToStored())).ToList(),
                        attempt is null ? [] : loss[entry.JobId],
                        attempt?.Timings?.TrainSeconds,
                        attempt?.Device,
                        attempt?.Outcome,
                        attempt?.ErrorText,
                        snapshot.AttemptsByJob[entry.JobId]
                            .Where(a => a.Outcome is { } outcome && outcome != AttemptOutcome.Succeeded)
                            .Select(a => new AttemptFailure(a.AttemptId, a.Outcome!.Value, a.ErrorText, a.EndedAt))
                            .ToList())
                    {
                        Validation = snapshot.ValidationHistory(entry.JobId),
                    };
                }).ToList();
                return new SweepReportData(export, jobs);
            },
            cancellationToken);

    private static ReportPreview ToReportPreview(StoredPreview stored) => new(
        stored.PreviewId, stored.Image.Epoch, stored.Image.PromptIndex, stored.Image.Prompt, stored.Image.Seed,
        stored.Image.Width, stored.Image.Height, stored.Image.File.RelativePath);

    private sealed class LossRow
    {
        public long AttemptId { get; init; }

        public long Step { get; init; }

        public long Epoch { get; init; }

        public double? Loss { get; init; }
    }
}
