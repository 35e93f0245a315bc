using SweepRunner.Core.Files;
using System.Text.Json;
using SweepRunner.Core.Results;
using SweepRunner.Core.Text;

namespace SweepRunner.Reports.Export;

/// <summary>
/// Writes a sweep export as JSON: <c>{ "sweep", "exported_at", "jobs": [ … ] }</c>, where each job keeps its
/// settings and diff as JSON objects, its timings as an object (or null), its score as ScorePolicy defines it
/// (<c>overallScore</c> the mean, <c>scoreCount</c>, <c>scoreStandardError</c>, <c>scoreEpoch</c>), its pairwise rating
/// (<c>pairwiseRating</c>, <c>pairwiseComparisons</c>), and each scorer's mean of the counted scores as
/// <c>"scores": { "&lt;scorer&gt;": { "mean", "count" } }</c>.
/// </summary>
public static class JsonExportWriter
{
    public static void Write(SweepExport export, Stream stream)
    {
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("sweep", export.SweepName);
        json.WriteString("exported_at", export.ExportedAt.UtcDateTime);
        json.WriteStartArray("jobs");
        foreach (var row in export.Rows)
        {
            WriteRow(json, row);
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
    }

    /// <summary>Writes the JSON to <paramref name="path"/> atomically, as UTF-8.</summary>
    public static void WriteFile(SweepExport export, string path) =>
        AtomicFile.Write(path, stream => Write(export, stream));

    private static void WriteRow(Utf8JsonWriter json, ExportRow row)
    {
        json.WriteStartObject();
        json.WriteString("label", row.Label);
        json.WriteString("job_id", row.JobId);
        WriteNullableString(json, "duplicate_of", row.DuplicateOfLabel);
        WriteNullableString(json, "replicate_of", row.ReplicateGroup);
        json.WriteNumber("replicate", row.Replicate);
        json.WriteString("state", StoredNames.Of(row.State));
        json.WriteNumber("attempts", row.Attempts);
        json.WriteNumber("steps_per_epoch", row.StepsPerEpoch);
        json.WriteNumber("total_steps", row.TotalSteps);
        json.WriteNumber("estimated_seconds", Rounding.Seconds(row.EstimatedSeconds));

        json.WritePropertyName("timings");
        if (row.Timings is { } timings)
        {
            json.WriteStartObject();
            json.WriteNumber("load_seconds", Rounding.Seconds(timings.LoadSeconds));
            json.WriteNumber("cache_seconds", Rounding.Seconds(timings.CacheSeconds));
            json.WriteNumber("train_seconds", Rounding.Seconds(timings.TrainSeconds));
            json.WriteNumber("sample_seconds", Rounding.Seconds(timings.SampleSeconds));
            json.WriteNumber("save_seconds", Rounding.Seconds(timings.SaveSeconds));
            json.WriteEndObject();
        }
        else
        {
            json.WriteNullValue();
        }

        WriteNullableNumber(json, "final_step", row.FinalStep);
        WriteNullableNumber(json, "final_loss", row.FinalLoss is { } loss && double.IsFinite(loss) ? Rounding.Significant(loss) : null);
        WriteNullableNumber(json, "validation_loss", row.FinalValidationLoss is { } validation && double.IsFinite(validation) ? Rounding.Significant(validation) : null);
        WriteNullableNumber(json, "best_epoch", row.BestEpoch);
        json.WriteStartArray("validation");
        foreach (var point in row.Validation)
        {
            json.WriteStartObject();
            json.WriteNumber("epoch", point.Epoch);
            json.WriteNumber("step", point.Step);
            WriteNullableNumber(json, "loss", point.Loss is { } value && double.IsFinite(value) ? Rounding.Significant(value) : null);
            json.WriteNumber("images", point.Images);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        WriteNullableNumber(json, "score_overall", row.OverallScore);
        json.WriteNumber("score_count", row.Score.Summary.N);
        WriteNullableNumber(json, "score_se", row.Score.Summary.StandardError);
        WriteNullableNumber(json, "score_epoch", row.Score.Epoch);
        WriteNullableNumber(json, "pairwise_rating", row.Score.Pairwise.Rating);
        WriteNullableNumber(json, "pairwise_low", row.Score.Pairwise.Low);
        WriteNullableNumber(json, "pairwise_high", row.Score.Pairwise.High);
        json.WriteNumber("pairwise_comparisons", row.Score.Pairwise.Comparisons);

        json.WriteStartArray("auto_scores");
        foreach (var auto in row.AutoScores)
        {
            json.WriteStartObject();
            json.WriteString("metric", Core.Scoring.AutoMetrics.StoredName(auto.Metric));
            json.WriteString("model_sha256", auto.ModelSha256);
            json.WriteNumber("epoch", auto.Epoch);
            json.WriteNumber("mean", Rounding.Significant(auto.Mean));
            json.WriteNumber("previews", auto.Previews);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartObject("scores");
        foreach (var score in row.Scores)
        {
            json.WriteStartObject(score.Scorer);
            json.WriteNumber("mean", score.Mean);
            json.WriteNumber("count", score.Count);
            json.WriteEndObject();
        }

        json.WriteEndObject();

        json.WritePropertyName("settings");
        WriteRawObject(json, row.SettingsJson, row);
        json.WritePropertyName("diff");
        WriteRawObject(json, row.DiffJson, row);
        json.WriteEndObject();
    }

    private static void WriteRawObject(Utf8JsonWriter json, string objectJson, ExportRow row)
    {
        using var document = JsonDocument.Parse(objectJson);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"job '{row.Label}' ({row.JobId}): expected a JSON object, got {document.RootElement.ValueKind}");
        }

        document.RootElement.WriteTo(json);
    }

    private static void WriteNullableString(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    private static void WriteNullableNumber(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } number)
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void WriteNullableNumber(Utf8JsonWriter json, string name, long? value)
    {
        if (value is { } number)
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
