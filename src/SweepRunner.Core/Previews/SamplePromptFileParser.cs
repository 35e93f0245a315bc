using System.Globalization;
using System.Text.RegularExpressions;

namespace SweepRunner.Core.Previews;

/// <summary>
/// Reads sd-scripts' sample prompt files (.txt): one prompt per line, blank lines skipped, a line whose first
/// character is '#' is a comment (sd-scripts checks the raw first character, so an indented '#' is a prompt),
/// options appended as " --x value": --n negative prompt, --w / --h size, --d seed, --s steps, --l CFG scale,
/// --ss sampler. Like sd-scripts, options it cannot use are ignored; unlike it, each one is reported.
/// </summary>
public static partial class SamplePromptFileParser
{
    [GeneratedRegex(@"^w ([0-9]+)", RegexOptions.IgnoreCase)] private static partial Regex Width();
    [GeneratedRegex(@"^h ([0-9]+)", RegexOptions.IgnoreCase)] private static partial Regex Height();
    [GeneratedRegex(@"^d ([0-9]+)", RegexOptions.IgnoreCase)] private static partial Regex Seed();
    [GeneratedRegex(@"^s ([0-9]+)", RegexOptions.IgnoreCase)] private static partial Regex Steps();
    [GeneratedRegex(@"^l ([0-9.]+)", RegexOptions.IgnoreCase)] private static partial Regex Scale();
    [GeneratedRegex(@"^n (.+)", RegexOptions.IgnoreCase | RegexOptions.Singleline)] private static partial Regex Negative();
    [GeneratedRegex(@"^ss (.+)", RegexOptions.IgnoreCase | RegexOptions.Singleline)] private static partial Regex Sampler();
    [GeneratedRegex(@"^(g|cn|ctr|rcfg|fs) ", RegexOptions.IgnoreCase)] private static partial Regex OtherModelsOption();

    /// <summary>Reads and parses the file at <paramref name="path"/> (UTF-8).</summary>
    public static SamplePromptFile Load(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Sample prompt file '{path}' does not exist.", path);
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses prompt file <paramref name="text"/>; <paramref name="source"/> names it in warnings.</summary>
    public static SamplePromptFile Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var prompts = new List<SamplePrompt>();
        var warnings = new List<string>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var raw = lines[i].TrimEnd('\r');
            var line = raw.Trim();
            if (line.Length == 0 || raw[0] == '#') continue;
            prompts.Add(ParseLine(line, i + 1, source, warnings));
        }
        return new SamplePromptFile(prompts, warnings);
    }

    /// <summary>Parses one non-comment line (already trimmed).</summary>
    public static SamplePrompt ParseLine(string line, int lineNumber, string source, List<string> warnings)
    {
        var parts = line.Split(" --");
        int width = SamplePrompt.DefaultSize, height = SamplePrompt.DefaultSize, steps = SamplePrompt.DefaultSteps;
        double scale = SamplePrompt.DefaultGuidanceScale;
        long? seed = null;
        string? negative = null, sampler = null;
        void Warn(string message) => warnings.Add($"{source}:{lineNumber}: {message}");

        foreach (var option in parts.Skip(1))
        {
            Match m;
            if ((m = Width().Match(option)).Success) width = ParseInt(m, option, width, Warn);
            else if ((m = Height().Match(option)).Success) height = ParseInt(m, option, height, Warn);
            else if ((m = Seed().Match(option)).Success)
            {
                if (long.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var value)) seed = value;
                else Warn($"seed in '--{option}' does not fit in 64 bits; ignored.");
            }
            else if ((m = Steps().Match(option)).Success)
            {
                var requested = ParseInt(m, option, steps, Warn);
                steps = Math.Clamp(requested, 1, 1000);
                if (steps != requested) Warn($"--s {requested} is outside 1…1000; using {steps} as sd-scripts does.");
            }
            else if ((m = Scale().Match(option)).Success)
            {
                if (double.TryParse(m.Groups[1].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)) scale = value;
                else Warn($"'--{option}' is not a number; CFG scale stays {scale.ToString(CultureInfo.InvariantCulture)}.");
            }
            else if ((m = Negative().Match(option)).Success) negative = m.Groups[1].Value;
            else if ((m = Sampler().Match(option)).Success) sampler = m.Groups[1].Value;
            else if (OtherModelsOption().IsMatch(option)) Warn($"'--{option}' applies to other model families in sd-scripts; ignored for SD 1.x.");
            else Warn($"unknown option '--{option}' ignored (sd-scripts ignores it too).");
        }

        return new SamplePrompt(lineNumber, parts[0], negative, RoundSize(width, "--w", Warn), RoundSize(height, "--h", Warn), seed, steps, scale, sampler);
    }

    static int ParseInt(Match m, string option, int fallback, Action<string> warn)
    {
        if (int.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var value)) return value;
        warn($"'--{option}' is too large; ignored.");
        return fallback;
    }

    static int RoundSize(int size, string option, Action<string> warn)
    {
        var rounded = Math.Max(64, size - size % 8);
        if (rounded != size) warn($"{option} {size} becomes {rounded} (a multiple of 8, at least 64), as in sd-scripts.");
        return rounded;
    }
}
