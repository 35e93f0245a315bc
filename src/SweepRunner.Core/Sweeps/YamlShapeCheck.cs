using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace SweepRunner.Core.Sweeps;

/// <summary>
/// Reads a YAML text's events once before it is loaded into nodes, and refuses what a sweep file never needs but
/// an attacker or a typo can make expensive: aliases or collections as mapping keys (YamlDotNet hashes a key
/// collection by walking it, and an alias bomb as a key takes minutes and gigabytes), and documents whose
/// aliases expand to more than <see cref="MaxExpandedNodes"/> nodes. Any exception of the YAML library, not only
/// <see cref="YamlException"/>, becomes an error at the last place the reader reached.
/// </summary>
public static class YamlShapeCheck
{
    /// <summary>Far above any sweep file (the 25-pattern study has about 400 nodes).</summary>
    public const long MaxExpandedNodes = 100_000;

    /// <summary>The first problem as (line, column, message), or null when the text may be loaded.</summary>
    public static (int Line, int Column, string Problem)? Check(string text)
    {
        var parser = new TrackingParser(text);
        var anchors = new Dictionary<string, long>(StringComparer.Ordinal);
        // Per open collection: its anchor, its expanded size so far, whether it is a mapping, and how many children it has.
        var open = new Stack<(string? Anchor, long Size, bool IsMapping, long Children)>();
        var total = 0L;
        try
        {
            while (parser.MoveNext())
            {
                var current = parser.Current!;
                var isKey = open.Count > 0 && open.Peek().IsMapping && open.Peek().Children % 2 == 0;
                switch (current)
                {
                    case AnchorAlias alias:
                        if (isKey) return At(parser.LastStart, "an alias (*name) cannot be a mapping key");
                        if (!anchors.TryGetValue(alias.Value.Value, out var size))
                            return At(parser.LastStart, $"alias *{Shorten(alias.Value.Value)} names no anchor defined before it");
                        if (!Add(open, size, ref total)) return At(parser.LastStart, TooLarge);
                        break;
                    case Scalar scalar:
                        if (!scalar.Anchor.IsEmpty) anchors[scalar.Anchor.Value] = 1;
                        if (!Add(open, 1, ref total)) return At(parser.LastStart, TooLarge);
                        break;
                    case MappingStart or SequenceStart:
                        if (isKey) return At(parser.LastStart, "a mapping key must be a plain value, not a mapping or a list");
                        var node = (NodeEvent)current;
                        open.Push((node.Anchor.IsEmpty ? null : node.Anchor.Value, 1, current is MappingStart, 0));
                        break;
                    case MappingEnd or SequenceEnd:
                        var closed = open.Pop();
                        if (closed.Anchor is { } anchor) anchors[anchor] = closed.Size;
                        if (!Add(open, closed.Size, ref total)) return At(parser.LastStart, TooLarge);
                        break;
                }
            }
        }
        catch (YamlException e)
        {
            return At(e.Start, "not valid YAML: " + Shorten((e.InnerException ?? e).Message));
        }
        catch (Exception e) when (IsLibraryFailure(e))
        {
            return At(parser.LastStart, "not valid YAML here");
        }
        return null;
    }

    /// <summary>YamlDotNet ends some malformed inputs with these instead of a <see cref="YamlException"/>.</summary>
    public static bool IsLibraryFailure(Exception e) =>
        e is InvalidOperationException or ArgumentException or FormatException or OverflowException;

    const string TooLarge = "the file expands to more than 100,000 values through its aliases (*name); a sweep file needs far fewer";

    /// <summary>Counts a finished node into its parent; false when the document has grown past the limit.</summary>
    static bool Add(Stack<(string? Anchor, long Size, bool IsMapping, long Children)> open, long size, ref long total)
    {
        if (open.Count == 0)
        {
            total += size;
        }
        else
        {
            var parent = open.Pop();
            open.Push(parent with { Size = parent.Size + size, Children = parent.Children + 1 });
        }
        return total <= MaxExpandedNodes && (open.Count == 0 || open.Peek().Size <= MaxExpandedNodes);
    }

    static (int, int, string) At(Mark mark, string problem) => ((int)mark.Line, (int)mark.Column, problem);

    /// <summary>A YAML parser that remembers where its last event started, to place errors that come without a mark.</summary>
    public sealed class TrackingParser(string text) : IParser
    {
        readonly Parser _parser = new(new StringReader(text));

        public Mark LastStart { get; private set; } = Mark.Empty;

        public ParsingEvent? Current => _parser.Current;

        public bool MoveNext()
        {
            var moved = _parser.MoveNext();
            if (_parser.Current is { } current) LastStart = current.Start;
            return moved;
        }
    }

    /// <summary>Text from the file quoted in a message, cut so that a huge key or value cannot flood the terminal.</summary>
    public static string Shorten(string text, int max = 80) => text.Length <= max ? text : text[..max] + "…";
}
