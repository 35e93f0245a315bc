using System.Text;
using System.Text.Json;

namespace SweepRunner.Core.Sweeps;

/// <summary>
/// Says where and why a JSON text is not valid, in words a user can act on (the .NET reader's own message talks
/// about byte positions and JSON paths). Line and column are 1-based; the column counts characters, not bytes.
/// </summary>
public static class JsonSyntaxError
{
    public sealed record Location(int Line, int Column, string Problem);

    /// <summary>The first syntax error of <paramref name="utf8"/>, or null when it is valid JSON.</summary>
    public static Location? Find(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        var containers = new Stack<JsonTokenType>();
        var last = JsonTokenType.None;
        var lastEnd = 0;
        try
        {
            while (reader.Read())
            {
                last = reader.TokenType;
                lastEnd = (int)reader.BytesConsumed;
                if (last is JsonTokenType.StartObject or JsonTokenType.StartArray) containers.Push(last);
                else if (last is JsonTokenType.EndObject or JsonTokenType.EndArray) containers.Pop();
            }
            return null;
        }
        catch (JsonException e)
        {
            var failedAt = OffsetOf(utf8, (int)(e.LineNumber ?? 0), (int)(e.BytePositionInLine ?? 0));
            // The token the reader failed on: the first thing after the last good token, separators skipped.
            var tokenStart = NextSignificant(utf8, Math.Min(lastEnd, failedAt));
            var between = utf8[Math.Min(lastEnd, tokenStart)..tokenStart];
            var inObject = containers.Count > 0 && containers.Peek() == JsonTokenType.StartObject;
            string problem;
            var at = tokenStart;
            if (tokenStart < failedAt && utf8[tokenStart] == (byte)'"')
            {
                // A complete string where a field name belongs, then no ':' (the reader reads a name and its ':' as one token).
                var closed = ClosingQuote(utf8, tokenStart) is { } end && end < failedAt;
                var nameExpected = inObject && (last == JsonTokenType.StartObject || between.IndexOf((byte)',') >= 0);
                (problem, at) = closed && nameExpected
                    ? ("expected ':' after the field name", failedAt)
                    : ("this string is not valid: it is not closed on its line, or holds a bad '\\' escape or a raw control character", tokenStart);
            }
            else
            {
                var atEnd = tokenStart >= utf8.Length || failedAt >= utf8.Length;
                problem = Describe(containers, inObject, last, between, atEnd);
                if (atEnd) at = utf8.Length;
            }
            var (line, column) = LineAndColumn(utf8, Math.Min(at, utf8.Length));
            return new Location(line, column, problem);
        }
    }

    static string Describe(Stack<JsonTokenType> containers, bool inObject, JsonTokenType last, ReadOnlySpan<byte> between, bool atEnd)
    {
        var close = inObject ? "'}'" : "']'";
        var afterComma = between.IndexOf((byte)',') >= 0;
        if (last == JsonTokenType.None) return atEnd ? "the file is empty; expected a JSON object '{'" : "expected a JSON object starting with '{'";
        if (containers.Count == 0) return "unexpected text after the end of the JSON object";
        if (atEnd) return $"the file ends before the {(inObject ? "object" : "list")} is closed; expected {close}";
        return last switch
        {
            JsonTokenType.StartObject => "expected a quoted field name or '}'",
            JsonTokenType.StartArray => "expected a value or ']'",
            JsonTokenType.PropertyName => "expected a value (a quoted string, a number, true, false, null, an object or a list) after ':'",
            _ when afterComma && inObject => "expected a quoted field name after ',' (JSON allows no ',' before '}')",
            _ when afterComma => "expected a value after ',' (JSON allows no ',' before ']')",
            _ => $"expected ',' or {close} after a value",
        };
    }

    static int? ClosingQuote(ReadOnlySpan<byte> utf8, int openingQuote)
    {
        for (var i = openingQuote + 1; i < utf8.Length && utf8[i] != (byte)'\n'; i++)
        {
            if (utf8[i] == (byte)'\\') i++;
            else if (utf8[i] == (byte)'"') return i;
        }
        return null;
    }

    static (int Line, int Column) LineAndColumn(ReadOnlySpan<byte> utf8, int offset)
    {
        var before = utf8[..offset];
        var lineStart = before.LastIndexOf((byte)'\n') + 1;
        return (before.Count((byte)'\n') + 1, Encoding.UTF8.GetCharCount(utf8[lineStart..offset]) + 1);
    }

    static int OffsetOf(ReadOnlySpan<byte> utf8, int line, int bytePositionInLine)
    {
        var start = 0;
        for (var i = 0; i < line; i++)
        {
            var newline = utf8[start..].IndexOf((byte)'\n');
            if (newline < 0) break;
            start += newline + 1;
        }
        return Math.Min(utf8.Length, start + bytePositionInLine);
    }

    static int NextSignificant(ReadOnlySpan<byte> utf8, int from)
    {
        var i = from;
        while (i < utf8.Length && utf8[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)',' or (byte)':') i++;
        return i;
    }
}
