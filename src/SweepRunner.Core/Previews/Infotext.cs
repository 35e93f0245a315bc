using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace SweepRunner.Core.Previews;

/// <summary>The generation settings of one image, as AUTOMATIC1111 writes them into a PNG's "parameters" text.</summary>
/// <param name="Prompt">The prompt.</param>
/// <param name="NegativePrompt">The negative prompt; empty or null writes no "Negative prompt:" line.</param>
/// <param name="Steps">Sampling steps.</param>
/// <param name="Sampler">AUTOMATIC1111's sampler name ("DDIM", "Euler a", "Euler").</param>
/// <param name="CfgScale">Classifier-free guidance scale.</param>
/// <param name="Seed">Seed.</param>
/// <param name="Width">Image width.</param>
/// <param name="Height">Image height.</param>
public sealed record GenerationParameters(string Prompt, string? NegativePrompt, int Steps, string Sampler, double CfgScale, long Seed, int Width, int Height)
{
    /// <summary>"Model hash": AUTOMATIC1111 writes the first 10 hex digits of the checkpoint's sha256.</summary>
    public string? ModelHash { get; init; }

    /// <summary>"Model": the checkpoint's name without extension.</summary>
    public string? ModelName { get; init; }

    /// <summary>"Clip skip": written only when above 1, as AUTOMATIC1111 does.</summary>
    public int ClipSkip { get; init; } = 1;

    /// <summary>Further "key: value" pairs written after the standard ones, in order (e.g. "Lora", "Lora hashes").</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Extra { get; init; } = [];
}

/// <summary>The parts of an infotext: prompt, negative prompt and the "key: value" settings.</summary>
public sealed record ParsedInfotext(string Prompt, string NegativePrompt, IReadOnlyDictionary<string, string> Values);

/// <summary>
/// Writes and reads AUTOMATIC1111's infotext: "&lt;prompt&gt;\nNegative prompt: &lt;negative&gt;\nSteps: 30,
/// Sampler: DDIM, CFG scale: 7.5, Seed: 42, Size: 512x512, Model: …". Values holding ',', ':' or a line
/// break are written as JSON strings, as its quote() does; parsing follows its parse_generation_parameters.
/// </summary>
public static partial class Infotext
{
    [GeneratedRegex("""\s*(\w[\w \-/]+):\s*("(?:\\.|[^\\"])+"|[^,]*)(?:,|$)""")]
    private static partial Regex Parameter();

    /// <summary>The infotext of <paramref name="parameters"/>.</summary>
    public static string Format(GenerationParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var values = new List<KeyValuePair<string, string>>
        {
            new("Steps", parameters.Steps.ToString(CultureInfo.InvariantCulture)),
            new("Sampler", parameters.Sampler),
            new("CFG scale", PythonFloat(parameters.CfgScale)),
            new("Seed", parameters.Seed.ToString(CultureInfo.InvariantCulture)),
            new("Size", $"{parameters.Width}x{parameters.Height}"),
        };
        if (!string.IsNullOrEmpty(parameters.ModelHash)) values.Add(new("Model hash", parameters.ModelHash));
        if (!string.IsNullOrEmpty(parameters.ModelName)) values.Add(new("Model", parameters.ModelName));
        if (parameters.ClipSkip > 1) values.Add(new("Clip skip", parameters.ClipSkip.ToString(CultureInfo.InvariantCulture)));
        values.AddRange(parameters.Extra);

        var settings = string.Join(", ", values.Select(p => $"{p.Key}: {Quote(p.Value)}"));
        var negative = string.IsNullOrEmpty(parameters.NegativePrompt) ? "" : $"\nNegative prompt: {parameters.NegativePrompt}";
        return $"{parameters.Prompt}{negative}\n{settings}".Trim();
    }

    /// <summary>Splits an infotext into prompt, negative prompt and settings (values unquoted).</summary>
    public static ParsedInfotext Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Trim().Split('\n').ToList();
        var last = lines[^1];
        lines.RemoveAt(lines.Count - 1);
        if (Parameter().Count(last) < 3)
        {
            lines.Add(last);
            last = "";
        }

        var prompt = new StringBuilder();
        var negative = new StringBuilder();
        var inNegative = false;
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.StartsWith("Negative prompt:", StringComparison.Ordinal))
            {
                inNegative = true;
                line = line["Negative prompt:".Length..].Trim();
            }
            var target = inNegative ? negative : prompt;
            if (target.Length > 0) target.Append('\n');
            target.Append(line);
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in Parameter().Matches(last))
        {
            var value = m.Groups[2].Value;
            values[m.Groups[1].Value] = value.Length >= 2 && value[0] == '"' && value[^1] == '"' ? Unquote(value) : value;
        }
        return new ParsedInfotext(prompt.ToString(), negative.ToString(), values);
    }

    /// <summary>AUTOMATIC1111's quote(): as is, unless the value holds ',', ':' or a line break; then a JSON string.</summary>
    public static string Quote(string value)
    {
        if (value.IndexOfAny([',', '\n', ':']) < 0) return value;
        var json = new StringBuilder("\"");
        foreach (var c in value)
        {
            json.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\b' => "\\b",
                '\f' => "\\f",
                < ' ' => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }
        return json.Append('"').ToString();
    }

    static string Unquote(string quoted)
    {
        try
        {
            return System.Text.Json.JsonSerializer.Deserialize<string>(quoted) ?? quoted;
        }
        catch (System.Text.Json.JsonException)
        {
            return quoted;
        }
    }

    /// <summary>A double the way Python's str() prints it (7.0 → "7.0", 7.5 → "7.5").</summary>
    static string PythonFloat(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.') || text.Contains('E') || text.Contains("Infinity") || text == "NaN" ? text : text + ".0";
    }
}
