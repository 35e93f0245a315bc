using System.Globalization;
using System.Text.Json;

namespace SweepRunner.Web.Api;

/// <summary>A job's title on the page: the settings that differ from the sweep's base, or "baseline" when none do.</summary>
internal static class JobTitles
{
    public const string Baseline = "baseline";

    public static IReadOnlyList<SettingValue> Diff(string diffJson)
    {
        using var document = JsonDocument.Parse(diffJson);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            return [];
        }

        return document.RootElement.EnumerateObject()
            .Select(property => new SettingValue(property.Name, ValueText(property.Value)))
            .ToList();
    }

    public static string Title(IReadOnlyList<SettingValue> diff) =>
        diff.Count == 0 ? Baseline : string.Join(", ", diff.Select(setting => $"{setting.Key}={setting.Value}"));

    private static string ValueText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.Number => value.TryGetDouble(out var number) ? number.ToString("G", CultureInfo.InvariantCulture) : value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => "none",
        _ => value.GetRawText(),
    };
}
