using System.Globalization;
using System.Text.RegularExpressions;

namespace SweepRunner.Diffusion.Pipeline;

/// <summary>A stretch of prompt text and the attention weight its tokens get.</summary>
public sealed record WeightedText(string Text, double Weight);

/// <summary>
/// AUTOMATIC1111's prompt weighting as sd-scripts' sampler parses it (library/lpw_stable_diffusion.py
/// parse_prompt_attention): <c>(text)</c> multiplies by 1.1, <c>[text]</c> divides by 1.1, <c>(text:1.5)</c>
/// multiplies by 1.5, nesting multiplies, <c>\(</c> <c>\)</c> <c>\[</c> <c>\]</c> <c>\\</c> are literal; an
/// unclosed bracket applies to the rest of the prompt, an unmatched closing one is literal text. Neighbouring
/// stretches of equal weight are merged. <c>BREAK</c> is plain text there, and so it is here.
/// </summary>
public static partial class PromptAttention
{
    const double RoundMultiplier = 1.1;
    const double SquareMultiplier = 1 / 1.1;

    [GeneratedRegex(@"\\\(|\\\)|\\\[|\\]|\\\\|\\|\(|\[|:([+-]?[.\d]+)\)|\)|]|[^\\()\[\]:]+|:")]
    private static partial Regex Token();

    /// <summary>The weighted stretches of <paramref name="prompt"/>; one empty stretch of weight 1 for an empty prompt.</summary>
    /// <exception cref="FormatException">A <c>(text:weight)</c> weight is not a number, such as <c>(a:1.2.3)</c>.</exception>
    public static IReadOnlyList<WeightedText> Parse(string prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var texts = new List<string>();
        var weights = new List<double>();
        var round = new Stack<int>();
        var square = new Stack<int>();

        void Multiply(int from, double by)
        {
            for (var p = from; p < weights.Count; p++) weights[p] *= by;
        }

        foreach (Match match in Token().Matches(prompt))
        {
            var text = match.Value;
            var weight = match.Groups[1];
            if (text.StartsWith('\\'))
            {
                texts.Add(text[1..]);
                weights.Add(1.0);
            }
            else if (text == "(") round.Push(weights.Count);
            else if (text == "[") square.Push(weights.Count);
            else if (weight.Success && round.Count > 0) Multiply(round.Pop(), ParseWeight(weight.Value, prompt));
            else if (text == ")" && round.Count > 0) Multiply(round.Pop(), RoundMultiplier);
            else if (text == "]" && square.Count > 0) Multiply(square.Pop(), SquareMultiplier);
            else
            {
                texts.Add(text);
                weights.Add(1.0);
            }
        }
        // Python walks the open positions first to last; multiplying is commutative, but the rounding of the product
        // follows the order, so keep it.
        foreach (var position in round.Reverse()) Multiply(position, RoundMultiplier);
        foreach (var position in square.Reverse()) Multiply(position, SquareMultiplier);

        if (texts.Count == 0) return [new WeightedText("", 1.0)];
        var merged = new List<WeightedText> { new(texts[0], weights[0]) };
        for (var i = 1; i < texts.Count; i++)
        {
            if (merged[^1].Weight == weights[i])
                merged[^1] = merged[^1] with { Text = merged[^1].Text + texts[i] };
            else
                merged.Add(new WeightedText(texts[i], weights[i]));
        }
        return merged;
    }

    static double ParseWeight(string value, string prompt) =>
        double.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var weight)
            ? weight
            : throw new FormatException($"The prompt weight ':{value})' in '{prompt}' is not a number; write it like (word:1.2).");
}
