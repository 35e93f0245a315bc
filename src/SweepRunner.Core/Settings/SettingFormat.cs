using System.Globalization;

namespace SweepRunner.Core.Settings;

/// <summary>Invariant, round-trippable text for setting values (labels, identity, tables).</summary>
public static class SettingFormat
{
    public static string Format(object? value) => value switch
    {
        null => "null",
        double d => d.ToString("R", CultureInfo.InvariantCulture).Replace("E", "e"),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
