using System.Globalization;
using System.Text;

namespace SweepRunner.Diffusion.Tokenizer;

/// <summary>
/// Splits cleaned text into the pieces BPE works on, exactly like CLIP's pattern
/// <c>&lt;|startoftext|&gt;|&lt;|endoftext|&gt;|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+</c>,
/// tried in that order at each position and skipping whitespace between matches. Written as a scanner over
/// Unicode scalar values so letters outside the Basic Multilingual Plane count as letters.
/// </summary>
public static class ClipPreTokenizer
{
    static readonly string[] Contractions = ["'s", "'t", "'re", "'ve", "'m", "'ll", "'d"];

    /// <summary>The pieces of <paramref name="text"/>; <paramref name="specialTokens"/> are kept whole.</summary>
    public static IEnumerable<string> Split(string text, IReadOnlyCollection<string> specialTokens)
    {
        var i = 0;
        while (i < text.Length)
        {
            var (rune, width) = RuneAt(text, i);
            if (Rune.IsWhiteSpace(rune))
            {
                i += width;
                continue;
            }

            var special = specialTokens.FirstOrDefault(s => string.CompareOrdinal(text, i, s, 0, s.Length) == 0);
            if (special is not null)
            {
                yield return special;
                i += special.Length;
                continue;
            }

            var contraction = Contractions.FirstOrDefault(c => string.Compare(text, i, c, 0, c.Length, StringComparison.OrdinalIgnoreCase) == 0);
            if (contraction is not null)
            {
                yield return text.Substring(i, contraction.Length);
                i += contraction.Length;
                continue;
            }

            var start = i;
            if (Rune.IsLetter(rune))
            {
                while (i < text.Length && RuneAt(text, i) is var (r, w) && Rune.IsLetter(r))
                    i += w;
            }
            else if (IsNumber(rune))
            {
                i += width;
            }
            else
            {
                while (i < text.Length)
                {
                    var (r, w) = RuneAt(text, i);
                    if (Rune.IsWhiteSpace(r) || Rune.IsLetter(r) || IsNumber(r)) break;
                    i += w;
                }
            }
            yield return text[start..i];
        }
    }

    /// <summary>The scalar value at <paramref name="index"/> and its UTF-16 length; a lone surrogate reads as U+FFFD.</summary>
    static (Rune Rune, int Width) RuneAt(string text, int index)
    {
        Rune.DecodeFromUtf16(text.AsSpan(index), out var rune, out var consumed);
        return (rune, Math.Max(consumed, 1));
    }

    static bool IsNumber(Rune rune) => Rune.GetUnicodeCategory(rune) is
        UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber;
}
