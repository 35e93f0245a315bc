using System.Globalization;

namespace SweepRunner.Core.Settings;

/// <summary>One sd-scripts setting: its type, allowed range or choices, and default (null = unset).</summary>
/// <param name="LogScale">
/// Its values are compared in ratios, not differences (rates, alpha, ranks): tried as 1e-4, 3e-4, 1e-3, not 1e-4, 5e-4, 1e-3.
/// Where a value lies between two tried ones is then their geometric mean.
/// </param>
public sealed record SettingDefinition(
    string Key,
    SettingType Type,
    object? Default,
    string Description,
    double? Min = null,
    double? Max = null,
    IReadOnlyList<string>? Choices = null,
    bool AffectsTraining = true,
    bool LogScale = false)
{
    /// <summary>Converts a raw value (from YAML text or JSON) into the canonical type, or explains why not.</summary>
    public bool TryNormalize(object? raw, out object? value, out string problem)
    {
        value = null;
        problem = "";
        if (raw is null)
        {
            // Only settings whose default is "unset" may be unset: training needs a value of every other one.
            if (Default is null) return true;
            problem = $"cannot be unset (null); leave the key out for the default, {SettingFormat.Format(Default)}";
            return false;
        }
        var text = raw as string;
        switch (Type)
        {
            case SettingType.Integer:
                if (!TryInteger(raw, out var integer))
                {
                    problem = $"expected a whole number, got '{Show(raw)}'";
                    return false;
                }
                if (!InRange(integer, out problem)) return false;
                value = integer;
                return true;
            case SettingType.Number:
                if (!TryNumber(raw, out var number))
                {
                    problem = $"expected a number, got '{Show(raw)}'";
                    return false;
                }
                if (!InRange(number, out problem)) return false;
                value = number;
                return true;
            case SettingType.Boolean:
                if (raw is bool b) { value = b; return true; }
                if (text != null && bool.TryParse(text, out b)) { value = b; return true; }
                if (text is "yes" or "Yes" or "on") { value = true; return true; }
                if (text is "no" or "No" or "off") { value = false; return true; }
                problem = $"expected true or false, got '{Show(raw)}'";
                return false;
            case SettingType.Choice:
                var choice = Convert.ToString(raw, CultureInfo.InvariantCulture) ?? "";
                var match = Choices!.FirstOrDefault(c => string.Equals(c, choice, StringComparison.OrdinalIgnoreCase));
                if (match == null)
                {
                    problem = $"expected one of {string.Join(", ", Choices!)}, got '{choice}'";
                    return false;
                }
                value = match;
                return true;
            case SettingType.Resolution:
                var parts = (Convert.ToString(raw, CultureInfo.InvariantCulture) ?? "").Split([',', 'x'], StringSplitOptions.TrimEntries);
                if (parts.Length is 1 or 2 && parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var side) && side is >= 64 and <= 8192 && side % 8 == 0))
                {
                    value = parts.Length == 1 ? $"{parts[0]},{parts[0]}" : $"{parts[0]},{parts[1]}";
                    return true;
                }
                problem = $"expected 'W,H' or one side, multiples of 8 from 64 to 8192, got '{Show(raw)}'";
                return false;
            default:
                var written = Convert.ToString(raw, CultureInfo.InvariantCulture) ?? "";
                // Text settings are paths, names and argument lists: a NUL makes every file API throw, other control
                // characters only hide what was written. Tabs and newlines come from YAML block scalars.
                if (ControlCharacter(written, allowTabAndNewline: true) is { } control)
                {
                    problem = string.Create(CultureInfo.InvariantCulture, $"must not contain control characters (found U+{(int)control:X4})");
                    return false;
                }
                value = written;
                return true;
        }
    }

    /// <summary>The first control character of <paramref name="text"/>, or null.</summary>
    public static char? ControlCharacter(string text, bool allowTabAndNewline)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var c in text)
            if (char.IsControl(c) && !(allowTabAndNewline && c is '\t' or '\n')) return c;
        return null;
    }

    public static (int Width, int Height) ParseResolution(string normalized)
    {
        var parts = normalized.Split(',');
        return (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    public string RangeText() => (Min, Max) switch
    {
        (null, null) => "",
        ({ } min, null) => $">= {Format(min)}",
        (null, { } max) => $"<= {Format(max)}",
        ({ } min, { } max) => $"{Format(min)}..{Format(max)}",
    };

    bool InRange(double v, out string problem)
    {
        problem = "";
        if ((Min is { } min && v < min) || (Max is { } max && v > max))
        {
            problem = $"{Format(v)} is out of range (allowed {RangeText()})";
            return false;
        }
        return true;
    }

    static bool TryInteger(object raw, out long value)
    {
        switch (raw)
        {
            case long l: value = l; return true;
            case int i: value = i; return true;
            case double d when d == Math.Floor(d) && Math.Abs(d) < 1e15: value = (long)d; return true;
            case string s: return long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);
            default: value = 0; return false;
        }
    }

    static bool TryNumber(object raw, out double value)
    {
        switch (raw)
        {
            case double d: value = d; return !double.IsNaN(d) && !double.IsInfinity(d);
            case long l: value = l; return true;
            case int i: value = i; return true;
            case string s:
                return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value)
                    && !double.IsNaN(value) && !double.IsInfinity(value);
            default: value = 0; return false;
        }
    }

    static string Show(object raw) => Convert.ToString(raw, CultureInfo.InvariantCulture) ?? "";

    public static string Format(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
