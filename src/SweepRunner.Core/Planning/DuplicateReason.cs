using SweepRunner.Core.Settings;

namespace SweepRunner.Core.Planning;

/// <summary>
/// Says why a job trains the same thing as an earlier one: which of the settings they differ in have no effect, and
/// under what (<see cref="SettingsEquivalence.InertSettings"/>), and which are equal values written differently.
/// </summary>
public static class DuplicateReason
{
    public static string Explain(IReadOnlyDictionary<string, object?> first, IReadOnlyDictionary<string, object?> duplicate)
    {
        var inertHere = SettingsEquivalence.InertSettings(duplicate);
        var inertThere = SettingsEquivalence.InertSettings(first);
        var byReason = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var alike = new List<string>();
        foreach (var key in first.Keys.Union(duplicate.Keys).Order(StringComparer.Ordinal))
        {
            var mine = duplicate.GetValueOrDefault(key);
            var theirs = first.GetValueOrDefault(key);
            if (Equals(mine, theirs)) continue;
            if (inertHere.TryGetValue(key, out var why) || inertThere.TryGetValue(key, out why))
            {
                if (!byReason.TryGetValue(why, out var keys)) byReason[why] = keys = [];
                keys.Add(key);
            }
            else
                alike.Add($"{key} {Show(mine)} trains as {Show(theirs)}");
        }
        var parts = byReason.Select(g => $"{string.Join(", ", g.Value)} {(g.Value.Count == 1 ? "has" : "have")} no effect ({g.Key})").Concat(alike).ToList();
        return parts.Count == 0 ? "the same settings" : string.Join("; ", parts);
    }

    static string Show(object? value) => value is null ? "unset" : SettingFormat.Format(value);
}
