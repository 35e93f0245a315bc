using System.Globalization;
using System.Text;
using SweepRunner.Core.Sweeps;
using SweepRunner.Core.Text;

namespace SweepRunner.Core.Previews;

/// <summary>
/// Reads sd-scripts' sample prompt files (.txt): one prompt per line, blank lines skipped, a line whose first
/// character is '#' is a comment (sd-scripts checks the raw first character, so an indented '#' is a prompt),
/// options appended as " --x value": --n negative prompt, --w / --h size, --d seed, --s steps, --l CFG scale,
/// --ss sampler (option names in any case). Stricter than sd-scripts, which ignores what it cannot read and rounds
/// or clamps what it cannot use: an unknown or malformed option, or a value outside <see cref="PreviewLimits"/>, is an
/// error naming the file and line, so <c>plan</c> refuses the file before any job trains. Options sd-scripts reads
/// only for other model families (--g, --cn, --ctr, --rcfg, --fs) are ignored with a warning.
/// </summary>
public static class SamplePromptFileParser
{
    /// <summary>The options, as a list for messages.</summary>
    public const string OptionList = "--n, --w, --h, --s, --d, --l, --ss";

    static readonly string[] OptionNames = ["n", "w", "h", "s", "d", "l", "ss"];
    static readonly string[] OtherFamilyOptions = ["g", "cn", "ctr", "rcfg", "fs"];
    const int Quoted = 60;

    /// <summary>
    /// Reads and parses the file at <paramref name="path"/> (UTF-8); <paramref name="shownAs"/> names it in messages
    /// (default: the path). A missing, unreadable or too large file is an error of the result, not an exception.
    /// </summary>
    public static SamplePromptFile Load(string path, string? shownAs = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var name = shownAs ?? path;
        SamplePromptFile Fails(string problem, string fix) => new([], [], [new SweepError(new SourceMark(name, 0, 0), problem, fix)]);
        try
        {
            if (Directory.Exists(path))
                return Fails("the prompt file is a folder", "Give sample_prompts the path of a text file with one prompt per line, relative to the sweep file");
            if (!File.Exists(path))
                return Fails("prompt file not found", "Check sample_prompts (it is relative to the sweep file), or create the file with one prompt per line");
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            // Read at most one byte past the cap, so a file that grows while it is read cannot make this read more.
            var buffer = new byte[(int)Math.Min(stream.Length, PreviewLimits.MaxPromptFileBytes) + 1];
            var length = 0;
            for (int read; length < buffer.Length && (read = stream.Read(buffer, length, buffer.Length - length)) > 0;) length += read;
            if (length > PreviewLimits.MaxPromptFileBytes)
                return Fails(string.Create(CultureInfo.InvariantCulture, $"the prompt file is larger than {PreviewLimits.MaxPromptFileBytes:#,0} bytes (1 MiB), the most read"),
                    "A prompt file holds a few preview prompts, each rendered at every preview epoch; shorten it");
            return Parse(Decode(buffer.AsSpan(0, length)), name);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fails($"the prompt file cannot be read: {YamlShapeCheck.Shorten(e.Message, 200)}", "Check that it exists and that you may read it");
        }
    }

    /// <summary>UTF-8 without its byte order mark, as <see cref="File.ReadAllText(string)"/> reads it.</summary>
    static string Decode(ReadOnlySpan<byte> bytes) =>
        Encoding.UTF8.GetString(bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? bytes[3..] : bytes);

    /// <summary>Parses prompt file <paramref name="text"/>; <paramref name="source"/> names it in warnings and errors.</summary>
    public static SamplePromptFile Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(source);
        var prompts = new List<SamplePrompt>();
        var warnings = new List<string>();
        var errors = new List<SweepError>();
        var lines = text.TrimStart('\uFEFF').Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var raw = lines[i].TrimEnd('\r');
            var line = raw.Trim();
            if (line.Length == 0 || raw[0] == '#') continue;
            var where = new SourceMark(source, i + 1, 0);
            if (ControlCharacter(line) is { } control)
            {
                errors.Add(new SweepError(where, string.Create(CultureInfo.InvariantCulture, $"the line holds the control character U+{(int)control:X4}"),
                    "Remove it; a prompt is one line of plain text (tabs are allowed)"));
                continue;
            }
            prompts.Add(ParseLine(line, where, warnings, errors));
        }
        return new SamplePromptFile(prompts, warnings, errors);
    }

    /// <summary>Parses one non-comment line (already trimmed) at <paramref name="where"/>.</summary>
    static SamplePrompt ParseLine(string line, SourceMark where, List<string> warnings, List<SweepError> errors)
    {
        var parts = line.Split(" --");
        int width = SamplePrompt.DefaultSize, height = SamplePrompt.DefaultSize, steps = SamplePrompt.DefaultSteps;
        double scale = SamplePrompt.DefaultGuidanceScale;
        long? seed = null;
        string? negative = null, sampler = null;
        void Error(string problem, string fix) => errors.Add(new SweepError(where, problem, fix));

        foreach (var option in parts.Skip(1))
        {
            var text = option.Trim();
            var space = text.IndexOfAny([' ', '\t']);
            var name = (space < 0 ? text : text[..space]).ToLowerInvariant();
            var value = space < 0 ? "" : text[(space + 1)..].Trim();
            var shown = value.Length == 0 ? $"--{Shorten(name)} (no value)" : $"--{Shorten(name)} {Shorten(value)}";
            switch (name)
            {
                case "w":
                case "h":
                    // A value the model cannot take is kept (when it fits), so the check before rendering refuses it too.
                    var size = Whole(value);
                    if (size is { } kept and <= int.MaxValue)
                    {
                        if (name == "w") width = (int)kept;
                        else height = (int)kept;
                    }
                    if (size is not { } side || !PreviewLimits.IsValidSize(side))
                        Error($"{shown}: {(name == "w" ? "width" : "height")} must be {PreviewLimits.SizeRule()}",
                            $"Write e.g. --{name} {PreviewLimits.NearestSize(size ?? SamplePrompt.DefaultSize)} (SD 1.x sizes; README.md, 'Preview prompt files')");
                    break;
                case "s":
                    var count = Whole(value);
                    if (count is { } given and <= int.MaxValue) steps = (int)given;
                    if (count is not { } wanted || !PreviewLimits.IsValidSteps(wanted))
                        Error($"{shown}: steps must be {PreviewLimits.StepsRule}", $"Write e.g. --s {SamplePrompt.DefaultSteps} (sd-scripts' default)");
                    break;
                case "d":
                    if (Whole(value) is { } number && PreviewLimits.IsValidSeed(number)) seed = number;
                    else Error($"{shown}: the seed must be {PreviewLimits.SeedRule}", "Write a smaller seed, or leave --d out to use the job's seed plus the prompt's index");
                    break;
                case "l":
                    var isNumber = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var cfg);
                    if (isNumber) scale = cfg;
                    if (!isNumber || !PreviewLimits.IsValidGuidanceScale(cfg))
                        Error($"{shown}: the CFG scale must be {PreviewLimits.GuidanceScaleRule}", "Write e.g. --l 7.5 (sd-scripts' default)");
                    break;
                case "n":
                    negative = value.Length == 0 ? null : value;
                    break;
                case "ss":
                    if (SamplerNames.TryNormalize(value, out var known)) sampler = known;
                    else
                    {
                        sampler = value;
                        Error($"{shown}: sampler '{Shorten(value)}' is not available", char.ToUpperInvariant(SamplerNames.Help[0]) + SamplerNames.Help[1..]);
                    }
                    break;
                default:
                    if (OtherFamilyOptions.Contains(name))
                    {
                        warnings.Add($"{where}: '{shown}' applies to other model families in sd-scripts; ignored for SD 1.x.");
                        break;
                    }
                    var closest = name.Length > 0 && name.Length <= 10 ? ClosestMatch.Find(name, OptionNames, maxDistance: 1) : null;
                    Error($"unknown option '{(value.Length == 0 ? "--" + Shorten(name) : shown)}'",
                        (closest is null ? "" : $"Did you mean '--{closest}'? ")
                        + $"The options are {OptionList}, each written as ' --name value'; ' --' inside a prompt always starts an option");
                    break;
            }
        }

        return new SamplePrompt(where.Line, parts[0], negative, width, height, seed, steps, scale, sampler);
    }

    /// <summary>A value of ASCII digits as a number; null when it is empty, holds anything else, or exceeds 64 bits.</summary>
    static long? Whole(string value) =>
        value.Length > 0 && value.All(char.IsAsciiDigit) && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : null;

    static char? ControlCharacter(string line)
    {
        foreach (var c in line)
            if (char.IsControl(c) && c != '\t') return c;
        return null;
    }

    static string Shorten(string text) => YamlShapeCheck.Shorten(text, Quoted);
}
