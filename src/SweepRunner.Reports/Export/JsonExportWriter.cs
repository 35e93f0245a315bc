using SweepRunner.Core.Files;
using System.Text.Json;
using SweepRunner.Core.Results;

namespace SweepRunner.Reports.Export;

/// <summary>
/// Writes a sweep export as JSON: <c>{ "sweep", "exportedAt", "jobs": [ … ] }</c>, where each job keeps its
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
        json.WriteString("exportedAt", export.ExportedAt.UtcDateTime);
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
        json.WriteString("jobId", row.JobId);
        WriteNullableString(json, "duplicateOf", row.DuplicateOfLabel);
        json.WriteString("state", StoredNames.Of(row.State));
        json.WriteNumber("attempts", row.Attempts);
        json.WriteNumber("stepsPerEpoch", row.StepsPerEpoch);
        json.WriteNumber("totalSteps", row.TotalSteps);
        json.WriteNumber("estimatedSeconds", row.EstimatedSeconds);

        json.WritePropertyName("timings");
        if (row.Timings is { } timings)
        {
            json.WriteStartObject();
            json.WriteNumber("loadSeconds", timings.LoadSeconds);
            json.WriteNumber("cacheSeconds", timings.CacheSeconds);
            json.WriteNumber("trainSeconds", timings.TrainSeconds);
            json.WriteNumber("sampleSeconds", timings.SampleSeconds);
            json.WriteNumber("saveSeconds", timings.SaveSeconds);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNullValue();
        }

        WriteNullableNumber(json, "finalStep", row.FinalStep);
        WriteNullableNumber(json, "finalLoss", row.FinalLoss is { } loss && double.IsFinite(loss) ? loss : null);
        WriteNullableNumber(json, "overallScore", row.OverallScore);
        json.WriteNumber("scoreCount", row.Score.Summary.N);
        WriteNullableNumber(json, "scoreStandardError", row.Score.Summary.StandardError);
        WriteNullableNumber(json, "scoreEpoch", row.Score.Epoch);
        WriteNullableNumber(json, "pairwiseRating", row.Score.Pairwise.Rating);
        json.WriteNumber("pairwiseComparisons", row.Score.Pairwise.Comparisons);

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
