using System.Globalization;

namespace SweepRunner.Store.Time;

/// <summary>
/// Times as the database stores them: UTC ISO-8601 of fixed width, so that comparing the text compares
/// the times.
/// </summary>
internal static class UtcText
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static string From(DateTimeOffset time) =>
        time.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    public static DateTimeOffset Parse(string text) =>
        DateTimeOffset.ParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public static DateTimeOffset? ParseOptional(string? text) => text is null ? null : Parse(text);

    /// <summary>A compact stamp for file names, such as 20250301T221500Z.</summary>
    public static string FileStamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
}
