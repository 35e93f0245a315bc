using System.Globalization;
using System.Text.Json;
using SweepRunner.Core.Settings;

namespace SweepRunner.Core.Text;

/// <summary>
/// The one text of a job's diff, the settings that differ from the sweep's base, wherever users see it (the plan
/// table, run progress, the scoring page's titles and the report): "key=value, key=value" in the diff's order, or
/// "baseline" for the job that changes nothing. Values read the same from the planner's objects and from the stored
/// JSON: strings bare, numbers invariant and round-trippable (exponents in lower case), true/false, null.
/// </summary>
public static class DiffText
{
    public const string Baseline = "baseline";

    /// <summary>The text of a diff given as display values.</summary>
    public static string Of(IEnumerable<KeyValuePair<string, string>> diff)
    {
        var pairs = diff.Select(pair => $"{pair.Key}={pair.Value}").ToList();
        return pairs.Count == 0 ? Baseline : string.Join(", ", pairs);
    }

    /// <summary>The text of a planned job's diff.</summary>
    public static string Of(IEnumerable<KeyValuePair<string, object?>> diff) => Of(Values(diff));

    /// <summary>The text of a stored diff (a JSON object; anything else reads as the baseline's).</summary>
    public static string OfJson(string diffJson) => Of(Values(diffJson));

    /// <summary>A stored diff's settings with their display values, in the object's order.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Values(string diffJson)
    {
        using var document = JsonDocument.Parse(diffJson);
        return document.RootElement.ValueKind != JsonValueKind.Object
            ? []
            : document.RootElement.EnumerateObject().Select(property => KeyValuePair.Create(property.Name, Value(property.Value))).ToList();
    }

    /// <summary>A planned diff's settings with their display values, in order.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Values(IEnumerable<KeyValuePair<string, object?>> diff) =>
        diff.Select(pair => KeyValuePair.Create(pair.Key, Value(pair.Value))).ToList();

    /// <summary>A setting value as shown.</summary>
    public static string Value(object? value) => value switch
    {
        JsonElement element => Value(element),
        _ => SettingFormat.Format(value),
    };

    /// <summary>A stored setting value as shown: the same text as the planner's value it was written from.</summary>
    public static string Value(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.Number => value.TryGetInt64(out var whole) ? whole.ToString(CultureInfo.InvariantCulture)
            : value.TryGetDouble(out var number) ? SettingFormat.Format(number) : value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null or JsonValueKind.Undefined => "null",
        _ => value.GetRawText(),
    };
}
