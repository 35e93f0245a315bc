using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace SweepRunner.Diffusion.Tokenizer;

/// <summary>
/// The prompt cleanup of the CLIP tokenizer sd-scripts uses (transformers' CLIPTokenizer with ftfy installed, as
/// sd-scripts requires): ftfy.fix_text, then runs of whitespace collapsed to one space, trimmed, lower-cased.
/// Of fix_text's default fixes this does the ones that change text people paste into prompts and captions, repeated
/// until nothing changes as ftfy repeats them: HTML entities unescaped unless the text holds '&lt;'; C1 control
/// characters read as Windows-1252 (U+0093 → “); Latin ligatures split (ﬁ → fi); full-width and half-width forms
/// and the ideographic space made standard width (Ａ１ → A1); curly quotes straightened (‘’ → ', “” → ");
/// ANSI terminal escapes and invisible control characters removed; NFC composition. ftfy's mojibake repair
/// (fix_encoding) is not reproduced: text typed or pasted by people rarely needs it.
/// NFC needs the runtime's globalization data, which SweepRunner's build leaves out (InvariantGlobalization), so
/// decomposed accents (e + U+0301, as macOS file names hold them) stay decomposed and tokenize differently from
/// CLIP; precomposed text, what keyboards produce, is unaffected.
/// </summary>
public static partial class ClipTextCleaner
{
    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    // ftfy's ANSI_RE.
    [GeneratedRegex("\u001b\\[((?:\\d|;)*)([a-zA-Z])")]
    private static partial Regex TerminalEscape();

    // ftfy's SINGLE_QUOTE_RE and DOUBLE_QUOTE_RE.
    [GeneratedRegex("[\u02bc\u2018-\u201b]")]
    private static partial Regex SingleQuote();

    [GeneratedRegex("[\u201c-\u201f]")]
    private static partial Regex DoubleQuote();

    static readonly Dictionary<char, string> Ligatures = new()
    {
        ['Ĳ'] = "IJ", ['ĳ'] = "ij", ['ŉ'] = "ʼn", ['Ǳ'] = "DZ", ['ǲ'] = "Dz", ['ǳ'] = "dz", ['Ǆ'] = "DŽ", ['ǅ'] = "Dž", ['ǆ'] = "dž",
        ['Ǉ'] = "LJ", ['ǈ'] = "Lj", ['ǉ'] = "lj", ['Ǌ'] = "NJ", ['ǋ'] = "Nj", ['ǌ'] = "nj",
        ['ﬀ'] = "ff", ['ﬁ'] = "fi", ['ﬂ'] = "fl", ['ﬃ'] = "ffi", ['ﬄ'] = "ffl", ['ﬅ'] = "ſt", ['ﬆ'] = "st",
    };

    // Windows-1252 for bytes 0x80–0x9F; ftfy's "sloppy" variant keeps the five undefined ones as they are.
    const string Windows1252C1 = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ";

    // NFKC of U+FF01…U+FFEF, one character each (U+FFE3 apart), from Unicode 14 as Python 3.11 has it; written out because
    // the build runs with InvariantGlobalization, where string.Normalize leaves these characters as they are.
    const string WidthForms =
        "!\u0022#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\u005c]^_`abcdefghijklmnopqrstuvwxyz" +
        "\u007b|\u007d~\u2985\u2986\u3002\u300c\u300d\u3001\u30fb\u30f2\u30a1\u30a3\u30a5\u30a7\u30a9\u30e3" +
        "\u30e5\u30e7\u30c3\u30fc\u30a2\u30a4\u30a6\u30a8\u30aa\u30ab\u30ad\u30af\u30b1\u30b3\u30b5\u30b7" +
        "\u30b9\u30bb\u30bd\u30bf\u30c1\u30c4\u30c6\u30c8\u30ca\u30cb\u30cc\u30cd\u30ce\u30cf\u30d2\u30d5" +
        "\u30d8\u30db\u30de\u30df\u30e0\u30e1\u30e2\u30e4\u30e6\u30e8\u30e9\u30ea\u30eb\u30ec\u30ed\u30ef" +
        "\u30f3\u3099\u309a\u1160\u1100\u1101\u11aa\u1102\u11ac\u11ad\u1103\u1104\u1105\u11b0\u11b1\u11b2" +
        "\u11b3\u11b4\u11b5\u111a\u1106\u1107\u1108\u1121\u1109\u110a\u110b\u110c\u110d\u110e\u110f\u1110" +
        "\u1111\u1112\uffbf\uffc0\uffc1\u1161\u1162\u1163\u1164\u1165\u1166\uffc8\uffc9\u1167\u1168\u1169" +
        "\u116a\u116b\u116c\uffd0\uffd1\u116d\u116e\u116f\u1170\u1171\u1172\uffd8\uffd9\u1173\u1174\u1175" +
        "\uffdd\uffde\uffdf\u00a2\u00a3\u00ac\uffe3\u00a6\u00a5\u20a9\uffe7\u2502\u2190\u2191\u2192\u2193" +
        "\u25a0\u25cb\uffef";

    /// <summary>The cleaned form of <paramref name="text"/>.</summary>
    public static string Clean(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Whitespace().Replace(FixText(text), " ").Trim().ToLowerInvariant();
    }

    /// <summary>ftfy.fix_text with its default settings, less fix_encoding.</summary>
    public static string FixText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var unescape = !text.Contains('<');
        while (true)
        {
            var before = text;
            if (unescape) text = WebUtility.HtmlDecode(text);
            text = Translate(text);
            text = SingleQuote().Replace(text, "'");
            text = DoubleQuote().Replace(text, "\"");
            text = TerminalEscape().Replace(text, "");
            text = RemoveControlCharacters(text);
            if (!text.IsNormalized(NormalizationForm.FormC)) text = text.Normalize(NormalizationForm.FormC);
            if (text == before) return text;
        }
    }

    /// <summary>fix_c1_controls, fix_latin_ligatures and fix_character_width, one character at a time.</summary>
    static string Translate(string text)
    {
        StringBuilder? fixedText = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            string? replacement = c switch
            {
                >= '\u0080' and <= '\u009f' => Windows1252C1[c - 0x80].ToString(),
                '\u3000' => " ",
                '\uffe3' => " \u0304",
                >= '\uff01' and < '\ufff0' => WidthForms[c - 0xff01] is var standard && standard != c ? standard.ToString() : null,
                _ => Ligatures.GetValueOrDefault(c),
            };
            if (replacement is null)
            {
                fixedText?.Append(c);
                continue;
            }
            fixedText ??= new StringBuilder(text, 0, i, text.Length + 8);
            fixedText.Append(replacement);
        }
        return fixedText?.ToString() ?? text;
    }

    /// <summary>ftfy's remove_control_chars: C0 controls but tab, line feed, form feed and carriage return; DEL; U+206A–U+206F; the BOM; U+FFF9–U+FFFC.</summary>
    static string RemoveControlCharacters(string text)
    {
        if (!text.Any(IsRemovedControl)) return text;
        return string.Concat(text.Where(c => !IsRemovedControl(c)));
    }

    static bool IsRemovedControl(char c) => c switch
    {
        <= '\u0008' or '\u000b' or (>= '\u000e' and <= '\u001f') or '\u007f' => true,
        (>= '\u206a' and <= '\u206f') or '\ufeff' or (>= '\ufff9' and <= '\ufffc') => true,
        _ => false,
    };
}
