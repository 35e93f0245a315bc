using System.Globalization;
using System.Net;

namespace SweepRunner.Reports.Html;

/// <summary>Text for HTML: everything that comes from users goes through <see cref="Encode"/>.</summary>
public static class HtmlText
{
    /// <summary>Text safe inside an element or a double-quoted attribute: &amp; &lt; &gt; &quot; and &#39; are escaped.</summary>
    public static string Encode(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary>A relative link to a file of the report: each path part percent-encoded, '/' kept.</summary>
    public static string Link(string relativePath) =>
        string.Join('/', relativePath.Replace('\\', '/').Split('/').Select(Uri.EscapeDataString));

    public static string Number(double? value, string format = "0.0") =>
        value is { } number && double.IsFinite(number) ? number.ToString(format, CultureInfo.InvariantCulture) : "–";

    /// <summary>Seconds as "42.0 s", "12m 05s" or "2h 44m".</summary>
    public static string Seconds(double? seconds)
    {
        if (seconds is not { } value || !double.IsFinite(value))
        {
            return "–";
        }

        var span = TimeSpan.FromSeconds(value);
        return value switch
        {
            < 60 => value.ToString("0.0", CultureInfo.InvariantCulture) + " s",
            < 3600 => string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes}m {span.Seconds:00}s"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}h {span.Minutes:00}m"),
        };
    }
}
