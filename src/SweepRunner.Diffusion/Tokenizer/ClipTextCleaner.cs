using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace SweepRunner.Diffusion.Tokenizer;

/// <summary>
/// CLIP's prompt cleanup: HTML entities unescaped (twice, as CLIP does), Unicode NFC composition (what
/// ftfy and the fast tokenizer's normaliser end with), runs of whitespace collapsed to one space, trimmed,
/// lower-cased. ftfy's mojibake repair is not reproduced: prompts typed by people rarely need it.
/// NFC needs the runtime's globalization data: in a process built with InvariantGlobalization, .NET leaves
/// decomposed text (e + U+0301) as it is, so such text tokenizes differently from CLIP; precomposed text
/// (what keyboards produce) is unaffected.
/// </summary>
public static partial class ClipTextCleaner
{
    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    /// <summary>The cleaned form of <paramref name="text"/>.</summary>
    public static string Clean(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var unescaped = WebUtility.HtmlDecode(WebUtility.HtmlDecode(text));
        var composed = unescaped.IsNormalized(NormalizationForm.FormC) ? unescaped : unescaped.Normalize(NormalizationForm.FormC);
        return Whitespace().Replace(composed, " ").Trim().ToLowerInvariant();
    }
}
