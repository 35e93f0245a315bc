using System.Text.Json;
using SweepRunner.Reports.Analysis;
using SweepRunner.Reports.Export;
using SweepRunner.Core.Results;

namespace SweepRunner.Reports.Html;

/// <summary>One job label of the report: its export row, its details, and what the analysis sees of it.</summary>
/// <param name="CountedScores">The scores the analysis uses: those that judge the job's final (or latest scored) LoRA; see <see cref="CountedScoresOf"/>.</param>
public sealed record ReportJob(ExportRow Row, JobReportDetail Detail, AnalysisJob Analysis, IReadOnlyList<ReportScore> CountedScores)
{
    public bool IsDuplicate => Row.DuplicateOfLabel is not null;

    public string Label => Row.Label;

    /// <summary>The job's label and its differences from the base, e.g. "a64 (network_alpha=64)".</summary>
    public string Describe() => Describe(Analysis);

    /// <summary>A job's label and its differences from the base, the differences left out when the label already reads the same.</summary>
    public static string Describe(AnalysisJob job)
    {
        if (job.IsBaseline)
        {
            return $"{job.Label} (baseline)";
        }

        var diff = string.Join(", ", job.Diff.Select(pair => $"{pair.Key}={pair.Value}"));
        return diff == job.Label ? diff : $"{job.Label} ({diff})";
    }

    /// <summary>The failure reason to show for the job, or null when it did not fail.</summary>
    public string? FailureReason => Row.State switch
    {
        JobState.Failed or JobState.Diverged or JobState.TimedOut or JobState.Interrupted =>
            StoredNames.Of(Row.State) + (Detail.ErrorText is { Length: > 0 } error ? ": " + error : ""),
        _ => null,
    };

    /// <summary>Pairs export rows with their details (both in plan order) and builds the analysis inputs.</summary>
    public static IReadOnlyList<ReportJob> From(SweepReportData data)
    {
        var details = data.Jobs.ToDictionary(job => job.Label, StringComparer.Ordinal);
        return data.Export.Rows.Select(row =>
        {
            var detail = details[row.Label];
            var counted = CountedScoresOf(detail.Scores, detail.Previews.Count == 0 ? null : detail.Previews.Max(preview => preview.Epoch));
            var analysis = new AnalysisJob(
                row.Label,
                row.JobId,
                ReadObject(row.DiffJson),
                ReadObject(row.SettingsJson),
                row.State,
                row.TotalSteps,
                detail.TrainSeconds,
                counted.Select(score => score.Value).ToList());
            return new ReportJob(row, detail, analysis, counted);
        }).ToList();
    }

    /// <summary>
    /// The scores that judge one LoRA of the job: a score without an epoch judges the final LoRA (or the job as a whole),
    /// so when there are such scores the final epoch (the latest of the previews and of the epochs scores name) is
    /// judged; otherwise the latest epoch any score names. Scores of other epochs are shown but not counted.
    /// </summary>
    public static IReadOnlyList<ReportScore> CountedScoresOf(IReadOnlyList<ReportScore> scores, long? finalPreviewEpoch)
    {
        var named = scores.Where(score => score.Epoch is not null).Select(score => score.Epoch!.Value).ToList();
        if (named.Count == 0)
        {
            return scores;
        }

        var target = scores.Any(score => score.Epoch is null)
            ? Math.Max(named.Max(), finalPreviewEpoch ?? long.MinValue)
            : named.Max();
        return scores.Where(score => score.Epoch is null || score.Epoch == target).ToList();
    }

    private static Dictionary<string, string> ReadObject(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.ValueKind == JsonValueKind.Object
            ? document.RootElement.EnumerateObject().ToDictionary(property => property.Name, property => ExportColumns.SettingText(property.Value), StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
    }
}
