using System.Globalization;
using System.Text.Json;
using SweepRunner.Core.Results;

namespace SweepRunner.Reports.Export;

/// <summary>
/// The columns an export has beyond the fixed ones: every setting key and every scorer found in its rows,
/// in ordinal order, so that the same data always gives the same columns.
/// </summary>
internal sealed record ExportColumns(IReadOnlyList<string> SettingKeys, IReadOnlyList<string> Scorers)
{
    /// <summary>
    /// The automatic score columns: <c>auto:&lt;metric&gt;</c> per metric found, or <c>auto:&lt;metric&gt;:&lt;model hash, 8 digits&gt;</c>
    /// for each model when several models scored one metric; each with the function that reads a row's mean.
    /// </summary>
    public IReadOnlyList<(string Name, Func<ExportRow, double?> Mean)> AutoScores { get; init; } = [];

    public static ExportColumns Of(SweepExport export)
    {
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        var scorers = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var row in export.Rows)
        {
            foreach (var key in ReadSettings(row).Keys)
            {
                keys.Add(key);
            }

            foreach (var score in row.Scores)
            {
                scorers.Add(score.Scorer);
            }
        }

        var sources = export.Rows.SelectMany(row => row.AutoScores).Select(score => (score.Metric, score.ModelSha256)).Distinct()
            .OrderBy(source => source.Metric).ThenBy(source => source.ModelSha256, StringComparer.Ordinal).ToList();
        var autoScores = sources.Select(source =>
        {
            var name = "auto:" + Core.Scoring.AutoMetrics.StoredName(source.Metric)
                       + (sources.Count(other => other.Metric == source.Metric) > 1 ? ":" + source.ModelSha256[..8] : "");
            return (name, (Func<ExportRow, double?>)(row => row.AutoScores.FirstOrDefault(score => score.Metric == source.Metric && score.ModelSha256 == source.ModelSha256)?.Mean));
        }).ToList();
        return new ExportColumns(keys.ToList(), scorers.ToList()) { AutoScores = autoScores };
    }

    /// <summary>A row's settings by key, as JSON values.</summary>
    public static IReadOnlyDictionary<string, JsonElement> ReadSettings(ExportRow row)
    {
        using var document = JsonDocument.Parse(row.SettingsJson);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"job '{row.Label}' ({row.JobId}): its settings are not a JSON object");
        }

        return document.RootElement.EnumerateObject().ToDictionary(property => property.Name, property => property.Value.Clone(), StringComparer.Ordinal);
    }

    /// <summary>A setting as a CSV cell: strings bare, null empty, anything else as its JSON text.</summary>
    public static string SettingText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.Null or JsonValueKind.Undefined => "",
        _ => value.GetRawText(),
    };

    public static string Number(double? value) =>
        value is { } number ? number.ToString("R", CultureInfo.InvariantCulture) : "";

    public static string Number(long? value) =>
        value is { } number ? number.ToString(CultureInfo.InvariantCulture) : "";
}
