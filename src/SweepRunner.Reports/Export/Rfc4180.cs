namespace SweepRunner.Reports.Export;

/// <summary>CSV as RFC 4180 defines it: fields separated by commas, records ended by CRLF, quoted when needed.</summary>
public static class Rfc4180
{
    public const string RecordEnd = "\r\n";

    /// <summary>The field as written: in double quotes, with quotes doubled, when it holds a comma, quote, CR or LF.</summary>
    public static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public static void WriteRecord(TextWriter writer, IEnumerable<string> fields)
    {
        writer.Write(string.Join(',', fields.Select(Field)));
        writer.Write(RecordEnd);
    }
}
