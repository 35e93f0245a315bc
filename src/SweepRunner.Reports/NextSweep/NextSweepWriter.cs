using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using SweepRunner.Core.Planning;
using SweepRunner.Core.Settings;
using SweepRunner.Core.Sweeps;

namespace SweepRunner.Reports.NextSweep;

/// <summary>
/// Writes a <see cref="NextSweepPlan"/> as a sweep file that plans without edits: every path rewritten to be relative
/// to the new file's folder, every choice explained in a comment above the line it made.
/// </summary>
public static partial class NextSweepWriter
{
    /// <param name="plan">The plan of the sweep that ran (its file, dataset and paths).</param>
    /// <param name="outputPath">Where the file will be written: relative paths are written relative to its folder.</param>
    /// <param name="promptsFile">Where prompts that were written into an imported kohya_ss config go, as a prompt file; written by the caller.</param>
    public static string Render(NextSweepPlan next, SweepPlan plan, string outputPath, DateTimeOffset generatedAt, out (string Path, string Text)? promptsFile)
    {
        ArgumentNullException.ThrowIfNull(next);
        ArgumentNullException.ThrowIfNull(plan);
        var sweep = plan.Sweep;
        var folder = Path.GetDirectoryName(Path.GetFullPath(outputPath)) ?? ".";
        string Relative(string absolute) => RelativeTo(folder, absolute);
        // A path written absolute stays absolute; a relative one is rewritten to resolve from the new file's folder.
        string Rewritten(string written, string resolved) => Path.IsPathRooted(written) ? resolved.Replace('\\', '/') : Relative(resolved);
        promptsFile = null;

        var text = new StringBuilder();
        void Line(string line) => text.Append(line).Append('\n');
        void Comment(string indent, string comment)
        {
            foreach (var part in comment.Split('\n')) Line($"{indent}#{(part.Length == 0 ? "" : " " + part)}");
        }

        Comment("", $"Written by 'sweeprunner next' on {generatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)} from the results of sweep '{sweep.Name}' ({Relative(Path.GetFullPath(sweep.FilePath))}).");
        Comment("", "Each choice is explained in the comment above it; edit freely, then 'sweeprunner plan' this file.");
        Line($"name: {Scalar(next.Name)}");
        Line($"dataset: {Scalar(Rewritten(sweep.DatasetPath, plan.Dataset.Path))}");
        Line($"steps_per_second: {SettingFormat.Format(sweep.StepsPerSecond)}");
        if (sweep.BaselineLabel != "base") Line($"baseline_label: {Scalar(sweep.BaselineLabel)}");
        if (sweep.AutoScores is { } auto)
        {
            var models = new List<string>();
            if (auto.Clip is { } clip) models.Add($"clip: {Scalar(Relative(clip))}");
            if (auto.Dino is { } dino) models.Add($"dino: {Scalar(Relative(dino))}");
            Line($"auto_scores: {{ {string.Join(", ", models)} }}");
        }

        if (next.ReplicatesReason is { } replicatesWhy)
        {
            Comment("", replicatesWhy);
            Line($"replicates: {next.Replicates}");
        }

        if (sweep.Constraints.Count > 0)
            Comment("", $"The {sweep.Constraints.Count} constraint(s) of '{sweep.Name}' are not carried over: its levels are gone; add the ones that still apply.");

        Line("base:");
        foreach (var (key, value) in next.Base)
        {
            if (next.MovedBase.TryGetValue(key, out var why)) Comment("  ", Indented("moved: " + why));
            var written = value;
            if (value is string path && IsPathSetting(key, path, sweep))
            {
                if (key == SettingsCatalog.SamplePrompts && sweep.IsImportedPromptText(path))
                {
                    var promptPath = Path.ChangeExtension(Path.GetFullPath(outputPath), null) + "-prompts.txt";
                    promptsFile = (promptPath, path);
                    Comment("  ", "the preview prompts written into the imported kohya_ss config, as a prompt file beside this one");
                    written = Relative(promptPath);
                }
                else
                {
                    written = Rewritten(path, sweep.Resolve(path));
                }
            }

            Line($"  {key}: {Scalar(written)}");
        }

        var swept = next.Settings.Where(setting => setting.Levels.Count > 0).ToList();
        if (swept.Count == 0)
        {
            Comment("", "No setting is left to sweep: this trains the base, the recommended settings.");
            Line("list:");
            Line($"  - {{ label: {Scalar(sweep.BaselineLabel)} }}");
        }
        else
        {
            if (sweep.Blocks.Any(block => block is not OfatBlock))
                Comment("", $"One factor at a time around the new base (the baseline '{sweep.BaselineLabel}' trains it); settings varied together are listed.");
            Line("plans:");
            // One ofat block: its baseline is the base, and every setting is compared with it.
            var single = swept.Where(setting => setting.Keys.Count == 1).ToList();
            var baselineLabel = sweep.BaselineLabel;
            if (single.Count > 0)
            {
                Line("  - ofat:");
                foreach (var setting in single)
                {
                    Comment("      ", Describe(setting));
                    Line($"      {setting.Keys[0]}: [{string.Join(", ", setting.Levels.Select(values => Scalar(values[0])))}]");
                }
            }
            else
            {
                Line("  - list:");
                Comment("      ", "the new base, which every setting below is compared with");
                Line($"      - {{ label: {Scalar(baselineLabel)} }}");
            }

            var paired = swept.Where(setting => setting.Keys.Count > 1).ToList();
            if (paired.Count > 0)
            {
                Line("  - list:");
                foreach (var setting in paired)
                {
                    Comment("      ", Describe(setting));
                    foreach (var values in setting.Levels)
                    {
                        var pairs = setting.Keys.Select((key, i) => $"{key}: {Scalar(values[i])}");
                        var label = string.Join(", ", setting.Keys.Select((key, i) => $"{key}={SettingFormat.Format(values[i])}"));
                        Line($"      - {{ label: {Scalar(label)}, {string.Join(", ", pairs)} }}");
                    }
                }
            }
        }

        var rest = next.Settings.Where(setting => setting.Levels.Count == 0).ToList();
        if (rest.Count > 0)
        {
            Comment("", "");
            Comment("", "Not swept again:");
            foreach (var setting in rest)
                Comment("", setting.Choice == NextChoice.Decided && setting.Keys.All(next.MovedBase.ContainsKey)
                    ? $"{setting.Name}: {FirstLine(setting.Reason)} (its numbers are above it in base)"
                    : Describe(setting));
        }

        return text.ToString();
    }

    /// <summary>The setting's name before its reason; the reason's further lines indented under it.</summary>
    /// <summary>
    /// <paramref name="absolute"/> relative to <paramref name="folder"/>, with '/'; the absolute path itself when the
    /// two share no folder below the root (a relative path would climb to the root and break when either moves).
    /// </summary>
    static string RelativeTo(string folder, string absolute)
    {
        var relative = Path.GetRelativePath(folder, absolute);
        static string First(string path) => Path.GetFullPath(path)[Path.GetPathRoot(Path.GetFullPath(path))!.Length..]
            .Split(['/', '\\'], StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
        var shared = string.Equals(Path.GetPathRoot(Path.GetFullPath(folder)), Path.GetPathRoot(Path.GetFullPath(absolute)), StringComparison.Ordinal)
                     && First(folder).Length > 0 && First(folder) == First(absolute);
        return (Path.IsPathRooted(relative) || !shared ? Path.GetFullPath(absolute) : relative).Replace('\\', '/');
    }

    static string Describe(NextSetting setting) => Indented($"{setting.Name}: {setting.Reason}");

    static string Indented(string text) => text.Replace("\n", "\n  ", StringComparison.Ordinal);

    static string FirstLine(string text) => text.Split('\n')[0];

    /// <summary>Settings that name files or folders relative to the sweep file.</summary>
    static bool IsPathSetting(string key, string value, SweepDefinition sweep) => key switch
    {
        SettingsCatalog.SamplePrompts or SettingsCatalog.ValidationDataDir => true,
        SettingsCatalog.BaseModel => value != ModelFingerprint.DemoModel && (File.Exists(sweep.Resolve(value)) || Directory.Exists(sweep.Resolve(value)) || !ModelFingerprint.LooksLikeHubId(value)),
        _ => false,
    };

    /// <summary>A YAML scalar the sweep parser reads back as the same value: numbers and booleans plain, text plain only when it cannot be misread.</summary>
    public static string Scalar(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        long or int => SettingFormat.Format(value),
        double d => SettingFormat.Format(d),
        string s when PlainText().IsMatch(s) && !Reserved.Contains(s) && !double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _) => s,
        _ => Quoted(SettingFormat.Format(value)),
    };

    static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase) { "true", "false", "null", "yes", "no", "on", "off", "~" };

    static string Quoted(string text)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in text)
        {
            builder.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                '\r' => "\\r",
                _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }

        return builder.Append('"').ToString();
    }

    [GeneratedRegex(@"^[A-Za-z0-9_./][A-Za-z0-9_./-]*$")]
    private static partial Regex PlainText();
}
