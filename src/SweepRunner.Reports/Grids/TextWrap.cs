using System.Globalization;
using System.Text;

namespace SweepRunner.Reports.Grids;

/// <summary>
/// Greedy word wrapping against a width measure: words move to the next line, a word wider than the line is
/// broken between characters, and text beyond the last allowed line is cut with an ellipsis.
/// </summary>
internal static class TextWrap
{
    public const string Ellipsis = "\u2026";

    public static IReadOnlyList<string> Wrap(string text, float maxWidth, int maxLines, Func<string, float> measure)
    {
        if (maxLines < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxLines), maxLines, "at least one line is needed");
        }

        var lines = new List<string>();
        foreach (var paragraph in text.Replace("\r\n", "\n").Split('\n'))
        {
            WrapParagraph(paragraph, maxWidth, measure, lines);
        }

        if (lines.Count <= maxLines)
        {
            return lines;
        }

        var kept = lines.Take(maxLines).ToList();
        kept[^1] = Ellipsize(kept[^1] + Ellipsis, maxWidth, measure);
        return kept;
    }

    /// The text itself when it fits, else its longest prefix (whole characters) followed by an ellipsis.
    public static string Ellipsize(string text, float maxWidth, Func<string, float> measure)
    {
        if (measure(text) <= maxWidth)
        {
            return text;
        }

        var elements = TextElements(text.EndsWith(Ellipsis, StringComparison.Ordinal) ? text[..^Ellipsis.Length] : text);
        for (var count = elements.Count - 1; count > 0; count--)
        {
            var candidate = string.Concat(elements.Take(count)).TrimEnd() + Ellipsis;
            if (measure(candidate) <= maxWidth)
            {
                return candidate;
            }
        }

        return Ellipsis;
    }

    private static void WrapParagraph(string paragraph, float maxWidth, Func<string, float> measure, List<string> lines)
    {
        var words = paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            lines.Add("");
            return;
        }

        var current = new StringBuilder();
        foreach (var word in words)
        {
            if (current.Length > 0)
            {
                var joined = current + " " + word;
                if (measure(joined) <= maxWidth)
                {
                    current.Clear().Append(joined);
                    continue;
                }

                lines.Add(current.ToString());
                current.Clear();
            }

            if (measure(word) <= maxWidth)
            {
                current.Append(word);
                continue;
            }

            // A word wider than the line: as many characters per line as fit (at least one, so it ends).
            var piece = new StringBuilder();
            foreach (var element in TextElements(word))
            {
                if (piece.Length > 0 && measure(piece + element) > maxWidth)
                {
                    lines.Add(piece.ToString());
                    piece.Clear();
                }

                piece.Append(element);
            }

            current.Append(piece);
        }

        lines.Add(current.ToString());
    }

    private static List<string> TextElements(string text)
    {
        var elements = new List<string>();
        var enumerator = StringInfo.GetTextElementEnumerator(text);
        while (enumerator.MoveNext())
        {
            elements.Add(enumerator.GetTextElement());
        }

        return elements;
    }
}
