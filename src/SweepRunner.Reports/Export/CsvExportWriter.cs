using SweepRunner.Core.Files;
using System.Text;
using SweepRunner.Core.Results;
using SweepRunner.Core.Text;

namespace SweepRunner.Reports.Export;

/// <summary>
/// Writes a sweep export as RFC 4180 CSV: a header, then one record per job. Fixed columns first (the job's score
/// as ScorePolicy defines it: <c>score_overall</c> its mean, <c>score_count</c>, <c>score_se</c> and <c>score_epoch</c>;
/// then <c>pairwise_rating</c>, its 95% interval <c>pairwise_low</c>–<c>pairwise_high</c> and <c>pairwise_comparisons</c>), then <c>score:&lt;scorer&gt;</c> for each scorer's mean
/// of the same counted scores, then <c>auto:&lt;metric&gt;</c> for each automatic score's mean, then one column per setting, named as sd-scripts names it.
/// </summary>
public static class CsvExportWriter
{
    public static readonly IReadOnlyList<string> FixedColumns =
    [
        "sweep", "label", "job_id", "duplicate_of", "replicate_of", "replicate", "state", "attempts", "steps_per_epoch", "total_steps", "estimated_seconds",
        "load_seconds", "cache_seconds", "train_seconds", "sample_seconds", "save_seconds", "final_step", "final_loss",
        "validation_loss", "best_epoch",
        "score_overall", "score_count", "score_se", "score_epoch", "pairwise_rating", "pairwise_low", "pairwise_high",
        "pairwise_comparisons",
    ];

    public const string ScoreColumnPrefix = "score:";

    public static void Write(SweepExport export, TextWriter writer)
    {
        var columns = ExportColumns.Of(export);
        Rfc4180.WriteRecord(
            writer,
            FixedColumns.Concat(columns.Scorers.Select(scorer => ScoreColumnPrefix + scorer)).Concat(columns.AutoScores.Select(column => column.Name)).Concat(columns.SettingKeys));

        foreach (var row in export.Rows)
        {
            var settings = ExportColumns.ReadSettings(row);
            var means = row.Scores.ToDictionary(score => score.Scorer, score => score.Mean, StringComparer.Ordinal);
            var timings = row.Timings;
            var fields = new List<string>
            {
                export.SweepName,
                row.Label,
                row.JobId,
                row.DuplicateOfLabel ?? "",
                row.ReplicateGroup ?? "",
                ExportColumns.Number(row.Replicate),
                StoredNames.Of(row.State),
                ExportColumns.Number(row.Attempts),
                ExportColumns.Number(row.StepsPerEpoch),
                ExportColumns.Number(row.TotalSteps),
                ExportColumns.Number(Rounding.Seconds(row.EstimatedSeconds)),
                ExportColumns.Number(timings is null ? null : Rounding.Seconds(timings.LoadSeconds)),
                ExportColumns.Number(timings is null ? null : Rounding.Seconds(timings.CacheSeconds)),
                ExportColumns.Number(timings is null ? null : Rounding.Seconds(timings.TrainSeconds)),
                ExportColumns.Number(timings is null ? null : Rounding.Seconds(timings.SampleSeconds)),
                ExportColumns.Number(timings is null ? null : Rounding.Seconds(timings.SaveSeconds)),
                ExportColumns.Number(row.FinalStep),
                ExportColumns.Number(row.FinalLoss is { } loss ? Rounding.Significant(loss) : null),
                ExportColumns.Number(row.FinalValidationLoss is { } validation ? Rounding.Significant(validation) : null),
                ExportColumns.Number(row.BestEpoch),
                ExportColumns.Number(row.OverallScore),
                ExportColumns.Number(row.Score.Summary.N),
                ExportColumns.Number(row.Score.Summary.StandardError),
                ExportColumns.Number(row.Score.Epoch),
                ExportColumns.Number(row.Score.Pairwise.Rating),
                ExportColumns.Number(row.Score.Pairwise.Low),
                ExportColumns.Number(row.Score.Pairwise.High),
                ExportColumns.Number(row.Score.Pairwise.Comparisons),
            };
            fields.AddRange(columns.Scorers.Select(scorer => means.TryGetValue(scorer, out var mean) ? ExportColumns.Number(mean) : ""));
            fields.AddRange(columns.AutoScores.Select(column => ExportColumns.Number(column.Mean(row) is { } mean ? Rounding.Significant(mean) : null)));
            fields.AddRange(columns.SettingKeys.Select(key => settings.TryGetValue(key, out var value) ? ExportColumns.SettingText(value) : ""));
            Rfc4180.WriteRecord(writer, fields);
        }
    }

    /// <summary>Writes the CSV to <paramref name="path"/> atomically, as UTF-8 without a byte order mark.</summary>
    public static void WriteFile(SweepExport export, string path) =>
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), leaveOpen: true);
            Write(export, writer);
        });
}
