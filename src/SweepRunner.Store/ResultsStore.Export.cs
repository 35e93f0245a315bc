using Microsoft.Data.Sqlite;
using SweepRunner.Core.Results;
using SweepRunner.Core.Scoring;

namespace SweepRunner.Store;

/// <summary>Export rows: one per job of a sweep, with settings, state, timings, final loss and the job's score (ScorePolicy).</summary>
public sealed partial class ResultsStore
{
    /// <summary>The export of a sweep: one row per job label, in plan order.</summary>
    public Task<SweepExport> GetSweepExportAsync(string sweepName, CancellationToken cancellationToken = default) =>
        ReadAsync(
            async (connection, transaction, token) =>
            {
                var snapshot = await ReadSweepSnapshotAsync(connection, transaction, sweepName, token);
                return await BuildSweepExportAsync(connection, transaction, snapshot, token);
            },
            cancellationToken);

    private async Task<SweepExport> BuildSweepExportAsync(
        SqliteConnection connection, SqliteTransaction transaction, SweepSnapshot snapshot, CancellationToken cancellationToken)
    {
        var scores = ScorePolicy.Of(await ReadSweepScoringAsync(connection, transaction, snapshot.Sweep.Id, cancellationToken));
        var rows = snapshot.Entries.Select(entry => BuildExportRow(snapshot, entry, scores.GetValueOrDefault(entry.JobId, JobScore.None))).ToList();
        return new SweepExport(snapshot.Sweep.Name, _time.GetUtcNow(), rows);
    }

    private static ExportRow BuildExportRow(SweepSnapshot snapshot, SweepEntryRow entry, JobScore score)
    {
        var representative = snapshot.RepresentativeAttempt(entry.JobId);
        LastMetricRow? finalMetric = null;
        if (representative is not null)
        {
            snapshot.LastMetricByAttempt.TryGetValue(representative.AttemptId, out finalMetric);
        }

        return new ExportRow(
            entry.Label,
            entry.JobId,
            entry.DuplicateOfLabel,
            StoredNames.ParseJobState(entry.State),
            entry.SettingsJson,
            entry.DiffJson,
            entry.StepsPerEpoch,
            entry.TotalSteps,
            entry.EstimatedSeconds,
            snapshot.AttemptsByJob[entry.JobId].Count(),
            representative?.Timings,
            // An attempt that logged no step (one diverging at its first step) ended where it started.
            finalMetric?.Step ?? (representative is { Outcome: not null } ? (long?)representative.ResumedFromStep : null),
            finalMetric?.Loss,
            score)
        {
            ReplicateGroup = entry.ReplicateGroup,
            Replicate = (int)entry.Replicate,
            Validation = snapshot.ValidationHistory(entry.JobId),
            AutoScores = JobAutoScoresOf(snapshot.AutoScoresByJob[entry.JobId], score.Epoch),
        };
    }
}
