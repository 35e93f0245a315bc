using System.Text.Json;
using SweepRunner.Core.Results;
using SweepRunner.Core.Scoring;
using SweepRunner.Core.Settings;
using SweepRunner.Core.Text;
using SweepRunner.Reports.Analysis;

namespace SweepRunner.Reports.Html;

/// <summary>One job label of the report: its export row (with the job's score), its details, and what the analysis sees of it.</summary>
public sealed record ReportJob(ExportRow Row, JobReportDetail Detail, AnalysisJob Analysis)
{
    /// <summary>The job's score as the export and the scoring page show it (see <see cref="ScorePolicy"/>).</summary>
    public JobScore Score => Row.Score;

    /// <summary>The scores the analysis uses: the latest of the epoch that counts.</summary>
    public IReadOnlyList<LatestScore> CountedScores => Row.Score.Counted;

    public bool IsDuplicate => Row.DuplicateOfLabel is not null;

    public string Label => Row.Label;

    /// <summary>The job's label and its differences from the base, e.g. "a64 (network_alpha=64)".</summary>
    public string Describe() => Describe(Analysis);

    /// <summary>A job's label and its differences from the base, the differences left out when the label already reads the same.</summary>
    public static string Describe(AnalysisJob job)
    {
        if (job.IsBaseline)
        {
            return $"{job.Label} ({DiffText.Baseline})";
        }

        var diff = DiffText.Of(job.Diff);
        return diff == job.Label ? diff : $"{job.Label} ({diff})";
    }

    /// <summary>The failure reason to show for the job, or null when it did not fail.</summary>
    public string? FailureReason => Row.State switch
    {
        JobState.Failed or JobState.Diverged or JobState.TimedOut or JobState.Interrupted =>
            StoredNames.Of(Row.State) + (Detail.ErrorText is { Length: > 0 } error ? ": " + error : ""),
        _ => null,
    };

    /// <summary>Pairs export rows with their details (both in plan order) and builds the analysis inputs from each job's counted scores.</summary>
    public static IReadOnlyList<ReportJob> From(SweepReportData data)
    {
        var details = data.Jobs.ToDictionary(job => job.Label, StringComparer.Ordinal);
        return data.Export.Rows.Select(row =>
        {
            var detail = details[row.Label];
            var diff = ReadObject(row.DiffJson);
            // A later replicate differs from its first only in the seed derived for it: it belongs to the same level.
            if (row.Replicate > 1) diff.Remove(SettingsCatalog.Seed);
            var analysis = new AnalysisJob(
                row.Label,
                row.JobId,
                diff,
                ReadObject(row.SettingsJson),
                row.State,
                row.TotalSteps,
                detail.TrainSeconds,
                row.Score.Counted.Select(score => score.Value).ToList())
            {
                FinalLoss = row.FinalLoss,
                ReplicateGroup = row.ReplicateGroup,
                AutoScores = row.AutoScores,
                ScorerMeans = row.Scores.ToDictionary(score => score.Scorer, score => score.Mean, StringComparer.Ordinal),
            };
            return new ReportJob(row, detail, analysis);
        }).ToList();
    }

    /// <summary>Settings by key with the values as every diff text shows them, so levels, grid rows and labels read alike.</summary>
    private static Dictionary<string, string> ReadObject(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.ValueKind == JsonValueKind.Object
            ? document.RootElement.EnumerateObject().ToDictionary(property => property.Name, property => DiffText.Value(property.Value), StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
    }
}
