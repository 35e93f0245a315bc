using System.Globalization;
using SweepRunner.Core.Settings;
using SweepRunner.Core.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace SweepRunner.Core.Sweeps;

/// <summary>
/// Reads a sweep YAML file into a <see cref="SweepDefinition"/>, collecting every problem with its line
/// and column. Nothing is planned from a file with errors: <see cref="SweepValidationException"/> lists them.
/// </summary>
public sealed class SweepFileParser
{
    static readonly string[] TopLevelKeys =
        ["name", "description", "dataset", "base", "steps_per_second", "baseline_label", "replicates", "auto_scores", "plans", "grid", "ofat", "list", "random", "constraints"];
    static readonly string[] BlockKinds = ["grid", "ofat", "list", "random"];
    const string SettingsHelp = "Setting keys are sd-scripts argument names; README.md lists them under 'Sweep file reference'";
    const string OptimizerArgsHelp = "Write optimizer_args as space-separated key=value pairs, each key once, e.g. 'relative_step=False weight_decay=0.01'";

    readonly string _file;
    readonly List<SweepError> _errors = [];
    readonly HashSet<string> _labels = new(StringComparer.Ordinal);
    readonly Dictionary<string, SourceMark> _optimizerArgsWrittenAt = new(StringComparer.Ordinal);
    ImportedPrompts? _importedPrompts;
    (YamlNode From, string ConfigPath, string Folder)? _importedDataset;

    SweepFileParser(string file) => _file = file;

    public static SweepDefinition Load(string path)
    {
        if (!File.Exists(path))
            throw new SweepValidationException([new SweepError(new SourceMark(path, 0, 0), "sweep file not found", "Check the path")]);
        return Parse(path, File.ReadAllText(path));
    }

    public static SweepDefinition Parse(string path, string text) => new SweepFileParser(path).Run(text);

    SweepDefinition Run(string text)
    {
        if (YamlShapeCheck.Check(text) is { } bad)
            throw new SweepValidationException([new SweepError(new SourceMark(_file, bad.Line, bad.Column), bad.Problem, "Fix the YAML at that place")]);
        var stream = new YamlStream();
        var parser = new YamlShapeCheck.TrackingParser(text);
        try
        {
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            throw new SweepValidationException([new SweepError(Mark(e.Start), "not valid YAML: " + YamlShapeCheck.Shorten(InnerMessage(e)), "Fix the YAML syntax at that place")]);
        }
        catch (Exception e) when (YamlShapeCheck.IsLibraryFailure(e))
        {
            throw new SweepValidationException([new SweepError(Mark(parser.LastStart), "not valid YAML here", "Fix the YAML syntax at that place")]);
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new SweepValidationException([new SweepError(new SourceMark(_file, 1, 1), "a sweep file must be a YAML mapping", "Start with 'name:', 'dataset:', 'base:' and plan blocks")]);

        foreach (var (keyNode, _) in root.Children)
        {
            var key = KeyOf(keyNode);
            if (!TopLevelKeys.Contains(key))
                Error(keyNode, $"unknown top-level key '{key}'", Suggest(key, TopLevelKeys, "Top-level keys are " + string.Join(", ", TopLevelKeys)));
        }

        var name = Scalar(root, "name", required: true) ?? "";
        if (name.Length > 0 && (name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || name.Contains(' ')))
            Error(Child(root, "name")!, $"sweep name '{name}' is used as a folder name and must not contain spaces or path characters", "Use letters, digits, '-', '_' and '.'");

        var directory = Path.GetDirectoryName(Path.GetFullPath(_file)) ?? ".";
        var notes = new List<string>();
        var baseSettings = ParseBase(Child(root, "base"), directory, notes);
        var dataset = DatasetOf(root, directory, notes);

        var stepsPerSecond = 3.0;
        if (Child(root, "steps_per_second") is { } sps)
        {
            if (sps is YamlScalarNode s && double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0)
                stepsPerSecond = v;
            else
                Error(sps, "steps_per_second must be a positive number", "Write e.g. 'steps_per_second: 3.2' (training steps per second on your GPU)");
        }
        var baselineLabel = Scalar(root, "baseline_label", required: false) ?? "base";
        var replicates = (int)(IntegerOf(root, ReplicatesKey, 1, MaxReplicates, required: false) ?? 1);
        var autoScores = ParseAutoScores(Child(root, "auto_scores"), directory);

        var blocks = new List<PlanBlock>();
        foreach (var kind in BlockKinds)
            if (Child(root, kind) is { } node)
                AddBlock(kind, node, blocks);
        if (Child(root, "plans") is { } plans)
        {
            if (plans is not YamlSequenceNode list)
                Error(plans, "'plans' must be a list of blocks", "Write '- grid: {...}', '- ofat: {...}', '- list: [...]' or '- random: {...}' items");
            else
                foreach (var item in list)
                {
                    if (item is not YamlMappingNode map || map.Children.Count != 1)
                    {
                        Error(item, "each item of 'plans' must hold exactly one of grid, ofat, list, random", "Split it into separate items");
                        continue;
                    }
                    var (k, v) = map.Children.First();
                    var kind = KeyOf(k);
                    if (!BlockKinds.Contains(kind))
                        Error(k, $"unknown plan block '{kind}'", Suggest(kind, BlockKinds, "Blocks are grid, ofat, list, random"));
                    else
                        AddBlock(kind, v, blocks);
                }
        }
        if (blocks.Any(b => b is OfatBlock))
            foreach (var pattern in blocks.OfType<ListBlock>().SelectMany(l => l.Patterns).Where(p => p.Label == baselineLabel))
                _errors.Add(new SweepError(pattern.Where, $"label '{baselineLabel}' is the ofat baseline's label", "Rename the pattern or set 'baseline_label:' to something else"));
        if (blocks.Count == 0 && _errors.Count == 0)
            Error(root, "the sweep has no plan block", "Add at least one of 'grid:', 'ofat:', 'list:' or 'random:' (or 'plans:' with several)");

        var constraints = ParseConstraints(Child(root, "constraints"));
        CheckSize(blocks);

        if (_errors.Count > 0) throw new SweepValidationException(_errors);
        return new SweepDefinition(_file, text, name, dataset, baseSettings, notes, blocks, constraints, stepsPerSecond, baselineLabel)
        {
            OptimizerArgsWrittenAt = _optimizerArgsWrittenAt,
            ImportedPrompts = _importedPrompts,
            Replicates = replicates,
            AutoScores = autoScores,
        };
    }

    /// <summary><c>auto_scores: {clip: DIR, dino: DIR}</c>: model folders in Hugging Face layout, relative to the sweep file.</summary>
    AutoScoreModels? ParseAutoScores(YamlNode? node, string directory)
    {
        if (node is null || node is YamlScalarNode nothing && IsNull(nothing)) return null;
        if (node is not YamlMappingNode map)
        {
            Error(node, "'auto_scores' must be a mapping of model kinds to folders", "Write e.g. 'auto_scores: { clip: models/clip-vit-large-patch14, dino: models/dinov2-base }'");
            return null;
        }
        foreach (var (key, _) in map.Children)
            if (KeyOf(key) is not ("clip" or "dino"))
                Error(key, $"unknown key '{KeyOf(key)}' in auto_scores", Suggest(KeyOf(key), ["clip", "dino"], "auto_scores takes 'clip' (CLIP-I and CLIP-T) and 'dino' (DINO)"));
        string? Folder(string key) => Scalar(map, key, required: false) is { } value ? Path.GetFullPath(Path.Combine(directory, value)) : null;
        var models = new AutoScoreModels(Folder("clip"), Folder("dino"));
        if (models.Clip is null && models.Dino is null)
        {
            Error(map, "'auto_scores' names no model", "Give 'clip:' or 'dino:' (or both): a folder with config.json and model.safetensors");
            return null;
        }
        return models;
    }

    /// <summary>Far above any real sweep (the 25-pattern study plans 25 jobs); refused up front, before planning builds them.</summary>
    public const long MaxPlannedJobs = 100_000;

    void CheckSize(IReadOnlyList<PlanBlock> blocks)
    {
        const string Fix = "Vary fewer settings or fewer levels at once, or split the study into several sweeps";
        var total = 0.0;
        var oneTooLarge = false;
        foreach (var block in blocks)
        {
            var jobs = block switch
            {
                GridBlock grid => grid.Axes.Aggregate(1.0, (product, axis) => product * axis.Rows.Count),
                OfatBlock ofat => 1 + ofat.Axes.Sum(axis => (double)axis.Rows.Count),
                ListBlock list => list.Patterns.Count,
                RandomBlock random => random.Count,
                _ => 0.0,
            };
            total += jobs;
            if (jobs <= MaxPlannedJobs) continue;
            oneTooLarge = true;
            _errors.Add(new SweepError(block.Where, $"this {block.Kind} block plans {jobs:#,0} jobs; a sweep may plan at most {MaxPlannedJobs:#,0}", Fix));
        }
        if (total > MaxPlannedJobs && !oneTooLarge)
            _errors.Add(new SweepError(new SourceMark(_file, 1, 1), $"the sweep's blocks plan {total:#,0} jobs together; a sweep may plan at most {MaxPlannedJobs:#,0}", Fix));
    }

    /// <summary>The sweep's dataset, or the kohya import's train_data_dir when the sweep names none (the sweep's wins, with a note).</summary>
    string DatasetOf(YamlMappingNode root, string directory, List<string> notes)
    {
        YamlNode where;
        string dataset;
        var shown = "";
        if (Child(root, "dataset") is null && _importedDataset is { } imported)
        {
            (where, dataset) = (imported.From, imported.Folder);
            shown = $" (train_data_dir of {imported.ConfigPath})";
        }
        else
        {
            dataset = Scalar(root, "dataset", required: true) ?? "";
            where = Child(root, "dataset") ?? root;
            if (_importedDataset is { } ignored && dataset.Length > 0
                && !string.Equals(Path.GetFullPath(Path.Combine(directory, dataset)).TrimEnd('/'), Path.GetFullPath(Path.Combine(directory, ignored.Folder)).TrimEnd('/'), StringComparison.Ordinal))
                notes.Add($"{ignored.ConfigPath}: train_data_dir '{ignored.Folder}' is not used: the sweep's 'dataset: {dataset}' wins");
        }
        if (SettingDefinition.ControlCharacter(dataset, allowTabAndNewline: false) is { } control)
            Error(where, string.Create(CultureInfo.InvariantCulture, $"the dataset path must not contain control characters (found U+{(int)control:X4})"),
                "Give the dataset folder's path, relative to the sweep file");
        else if (dataset.Length > 0 && !Directory.Exists(Path.Combine(directory, dataset)))
            Error(where, $"dataset folder '{dataset}'{shown} does not exist (resolved to {Path.GetFullPath(Path.Combine(directory, dataset))})",
                "Give a folder in kohya layout (<repeats>_<name>/ subfolders with images and .txt captions), relative to the sweep file");
        return dataset;
    }

    Dictionary<string, object?> ParseBase(YamlNode? node, string directory, List<string> notes)
    {
        var settings = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (node == null) return settings;
        if (node is not YamlMappingNode map)
        {
            Error(node, "'base' must be a mapping of settings", "Write settings as 'key: value' lines under 'base:'");
            return settings;
        }
        if (Child(map, "from") is { } from)
        {
            if (from is not YamlScalarNode { Value: { } importPath })
                Error(from, "'from' must be the path of a kohya_ss GUI config JSON file", "Write 'from: my_config.json'");
            else if (SettingDefinition.ControlCharacter(importPath, allowTabAndNewline: false) is { } control)
                Error(from, string.Create(CultureInfo.InvariantCulture, $"the path in 'from' must not contain control characters (found U+{(int)control:X4})"),
                    "Give the path of a kohya_ss GUI config JSON file, relative to the sweep file");
            else
            {
                var full = Path.Combine(directory, importPath);
                try
                {
                    var imported = KohyaConfigImport.Load(full, directory);
                    notes.AddRange(imported.Notes);
                    _importedPrompts = imported.Prompts;
                    if (imported.TrainDataDir is { } folder) _importedDataset = (from, importPath, folder);
                    foreach (var (key, raw) in imported.Settings)
                    {
                        var definition = SettingsCatalog.Get(key);
                        if (!definition.TryNormalize(raw, out var value, out var problem))
                            Error(from, $"{importPath}: field for '{key}': {problem}", "Correct the value in the JSON file or override it under 'base:'");
                        else if (key != SettingsCatalog.OptimizerArgs || OptimizerArgsWellFormed(from, value as string))
                            settings[key] = value;
                    }
                }
                catch (KohyaImportException e)
                {
                    Error(from, e.Message, e.Fix);
                }
            }
        }
        foreach (var (keyNode, valueNode) in map.Children)
        {
            var key = KeyOf(keyNode);
            if (key == "from") continue;
            if (TrySetting(keyNode, valueNode, out var value)) settings[key] = value;
        }
        return settings;
    }

    const string ReplicatesKey = "replicates";
    const int MaxReplicates = 100;

    void AddBlock(string kind, YamlNode node, List<PlanBlock> blocks)
    {
        var where = Mark(node.Start);
        // A grid, ofat or random block may say how many seeds each of its jobs trains with; a list says it per pattern.
        int? replicates = node is YamlMappingNode map && kind != "list" && IntegerOf(map, ReplicatesKey, 1, MaxReplicates, required: false) is { } n ? (int)n : null;
        switch (kind)
        {
            case "grid":
                if (ParseAxes(node, "grid", allowRanges: false) is { } gridAxes) blocks.Add(new GridBlock(where, gridAxes.Select(a => a.Levels!).ToList()) { Replicates = replicates });
                break;
            case "ofat":
                if (ParseAxes(node, "ofat", allowRanges: false) is { } ofatAxes) blocks.Add(new OfatBlock(where, ofatAxes.Select(a => a.Levels!).ToList()) { Replicates = replicates });
                break;
            case "list":
                if (ParseList(node) is { } list) blocks.Add(list);
                break;
            case "random":
                if (ParseRandom(node) is { } random) blocks.Add(random with { Replicates = replicates });
                break;
        }
    }

    List<RandomAxis>? ParseAxes(YamlNode node, string kind, bool allowRanges)
    {
        if (node is not YamlMappingNode map || !map.Children.Any(c => KeyOf(c.Key) != ReplicatesKey))
        {
            Error(node, $"'{kind}' must map setting names to lists of values", $"Write e.g. '{kind}: {{ network_alpha: [1, 16, 64] }}'");
            return null;
        }
        var axes = new List<RandomAxis>();
        var seen = new HashSet<string>();
        foreach (var (keyNode, valueNode) in map.Children)
        {
            var key = KeyOf(keyNode);
            if (key == "paired")
            {
                ParsePaired(valueNode, kind, axes, seen);
                continue;
            }
            if (key == ReplicatesKey && kind != "random") continue;
            if (!KnownSetting(keyNode)) continue;
            if (!seen.Add(key)) { Error(keyNode, $"'{key}' is varied twice in this {kind} block", "Vary each setting once per block"); continue; }
            if (allowRanges && valueNode is YamlMappingNode range)
            {
                if (ParseRange(key, range) is { } r) axes.Add(r);
                continue;
            }
            var levels = Levels(keyNode, valueNode);
            if (levels == null) continue;
            axes.Add(new RandomAxis(new Axis([key], levels.Select(v => (IReadOnlyList<object?>)[v]).ToList()), null, default, 0, 0));
        }
        return axes;
    }

    void ParsePaired(YamlNode node, string kind, List<RandomAxis> axes, HashSet<string> seen)
    {
        if (node is not YamlSequenceNode groups)
        {
            Error(node, "'paired' must be a list of groups of settings that vary together", "Write 'paired: [ { network_dim: [8, 16], network_alpha: [4, 8] } ]'");
            return;
        }
        foreach (var group in groups)
        {
            if (group is not YamlMappingNode map || map.Children.Count < 2)
            {
                Error(group, "a paired group must map two or more settings to lists of equal length", "Write '{ network_dim: [8, 16], network_alpha: [4, 8] }'");
                continue;
            }
            var keys = new List<string>();
            var columns = new List<List<object?>>();
            foreach (var (keyNode, valueNode) in map.Children)
            {
                var key = KeyOf(keyNode);
                if (!KnownSetting(keyNode)) continue;
                if (!seen.Add(key)) { Error(keyNode, $"'{key}' is varied twice in this {kind} block", "Vary each setting once per block"); continue; }
                if (Levels(keyNode, valueNode) is { } levels) { keys.Add(key); columns.Add(levels); }
            }
            if (columns.Count != map.Children.Count) continue;
            if (columns.Select(c => c.Count).Distinct().Count() != 1)
            {
                Error(group, $"paired settings {string.Join(", ", keys)} have lists of different lengths ({string.Join(", ", columns.Select(c => c.Count))})",
                    "Paired settings vary together, one value of each per job: give every list the same length");
                continue;
            }
            var rows = Enumerable.Range(0, columns[0].Count).Select(i => (IReadOnlyList<object?>)columns.Select(c => c[i]).ToList()).ToList();
            axes.Add(new RandomAxis(new Axis(keys, rows), null, default, 0, 0));
        }
    }

    RandomAxis? ParseRange(string key, YamlMappingNode range)
    {
        if (range.Children.Count != 1)
        {
            Error(range, $"a range for '{key}' needs exactly one of uniform, log_uniform, int_uniform", "Write e.g. '{ log_uniform: [1e-5, 1e-3] }'");
            return null;
        }
        var (kindNode, boundsNode) = range.Children.First();
        var kind = KeyOf(kindNode);
        Distribution distribution;
        switch (kind)
        {
            case "uniform": distribution = Distribution.Uniform; break;
            case "log_uniform": distribution = Distribution.LogUniform; break;
            case "int_uniform": distribution = Distribution.IntUniform; break;
            default:
                Error(kindNode, $"unknown distribution '{kind}'", "Use uniform, log_uniform or int_uniform");
                return null;
        }
        var definition = SettingsCatalog.Get(key);
        var fits = distribution switch
        {
            Distribution.IntUniform => definition.Type == SettingType.Integer,
            Distribution.Uniform => definition.Type == SettingType.Number,
            _ => definition.Type is SettingType.Number or SettingType.Integer,
        };
        if (!fits)
        {
            Error(kindNode, $"'{key}' is {definition.Type.ToString().ToLowerInvariant()}; {kind} does not fit it",
                "Use int_uniform for whole numbers, uniform or log_uniform for numbers, a list of levels otherwise");
            return null;
        }
        if (boundsNode is not YamlSequenceNode { Children.Count: 2 } bounds)
        {
            Error(boundsNode, $"{kind} needs [low, high]", $"Write '{kind}: [low, high]'");
            return null;
        }
        var values = new double[2];
        for (var i = 0; i < 2; i++)
        {
            if (!TryValue(key, bounds[i], out var v)) return null;
            values[i] = Convert.ToDouble(v, CultureInfo.InvariantCulture);
        }
        if (values[0] >= values[1] || (distribution == Distribution.LogUniform && values[0] <= 0))
        {
            Error(boundsNode, $"bad range [{values[0]}, {values[1]}] for '{key}'", distribution == Distribution.LogUniform ? "log_uniform needs 0 < low < high" : "Low must be below high");
            return null;
        }
        return new RandomAxis(null, key, distribution, values[0], values[1]);
    }

    ListBlock? ParseList(YamlNode node)
    {
        if (node is not YamlSequenceNode items || items.Children.Count == 0)
        {
            Error(node, "'list' must be a list of patterns", "Write '- { label: \"4\", clip_skip: 2 }' items");
            return null;
        }
        var patterns = new List<ListPattern>();
        foreach (var item in items)
        {
            if (item is not YamlMappingNode map)
            {
                Error(item, "a list pattern must be a mapping with a label and the settings it changes", "Write '{ label: \"4\", clip_skip: 2 }'");
                continue;
            }
            var label = Scalar(map, "label", required: true);
            if (label != null && !_labels.Add(label))
                Error(Child(map, "label")!, $"duplicate label '{label}'", "Give every pattern its own label (the baseline label counts too)");
            var settings = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var (keyNode, valueNode) in map.Children)
            {
                var key = KeyOf(keyNode);
                if (key is "label" or ReplicatesKey) continue;
                if (TrySetting(keyNode, valueNode, out var value)) settings[key] = value;
            }
            var replicates = IntegerOf(map, ReplicatesKey, 1, MaxReplicates, required: false);
            if (label != null) patterns.Add(new ListPattern(Mark(item.Start), label, settings) { Replicates = (int?)replicates });
        }
        return new ListBlock(Mark(node.Start), patterns);
    }

    RandomBlock? ParseRandom(YamlNode node)
    {
        if (node is not YamlMappingNode map)
        {
            Error(node, "'random' must be a mapping with n, seed and axes", "Write 'random: { n: 10, seed: 1, axes: { learning_rate: { log_uniform: [1e-5, 1e-3] } } }'");
            return null;
        }
        foreach (var (k, _) in map.Children)
            if (KeyOf(k) is not ("n" or "seed" or "axes" or ReplicatesKey))
                Error(k, $"unknown key '{KeyOf(k)}' in random block", "A random block has n, seed, axes and optionally replicates");
        var count = IntegerOf(map, "n", 1, 1_000_000, required: true);
        var seed = IntegerOf(map, "seed", 0, int.MaxValue, required: false) ?? 0;
        var axesNode = Child(map, "axes");
        if (axesNode == null) { Error(map, "random block needs 'axes'", "List the settings to sample under 'axes:'"); return null; }
        var axes = ParseAxes(axesNode, "random", allowRanges: true);
        return count == null || axes == null ? null : new RandomBlock(Mark(node.Start), (int)count, (int)seed, axes);
    }

    List<Constraint> ParseConstraints(YamlNode? node)
    {
        var constraints = new List<Constraint>();
        if (node == null) return constraints;
        if (node is not YamlSequenceNode items)
        {
            Error(node, "'constraints' must be a list", "Write '- exclude: {...}' or '- where: {...}\\n  require: {...}' items");
            return constraints;
        }
        foreach (var item in items)
        {
            if (item is not YamlMappingNode map) { Error(item, "a constraint must be a mapping", "Use 'exclude:' or 'where:' with 'require:'"); continue; }
            foreach (var (k, _) in map.Children)
                if (KeyOf(k) is not ("exclude" or "where" or "require"))
                    Error(k, $"unknown constraint key '{KeyOf(k)}'", "Use 'exclude: {...}', or 'where: {...}' with 'require: {...}'");
            var exclude = Child(map, "exclude");
            var where = Child(map, "where");
            var require = Child(map, "require");
            if (exclude != null && (where != null || require != null))
                Error(map, "a constraint has either 'exclude' or 'where'/'require', not both", "Split it into two constraints");
            else if (exclude != null)
            {
                if (Conditions(exclude) is { } when) constraints.Add(new Constraint(Mark(item.Start), when, null));
            }
            else if (where != null && require != null)
            {
                var when = Conditions(where);
                var then = Conditions(require);
                if (when != null && then != null) constraints.Add(new Constraint(Mark(item.Start), when, then));
            }
            else
                Error(map, "a 'where' constraint needs 'require' (and 'require' needs 'where')", "Write 'where: { key: value }' and 'require: { key: value }'");
        }
        return constraints;
    }

    List<Condition>? Conditions(YamlNode node)
    {
        if (node is not YamlMappingNode map || map.Children.Count == 0)
        {
            Error(node, "conditions must map settings to values", "Write e.g. '{ optimizer_type: Lion, learning_rate: { gt: 0.001 } }'");
            return null;
        }
        var conditions = new List<Condition>();
        var ok = true;
        foreach (var (keyNode, valueNode) in map.Children)
        {
            var key = KeyOf(keyNode);
            if (!KnownSetting(keyNode)) { ok = false; continue; }
            if (valueNode is YamlMappingNode ops)
            {
                foreach (var (opNode, operand) in ops.Children)
                {
                    var op = KeyOf(opNode);
                    ConditionOperator? parsed = op switch
                    {
                        "not" => ConditionOperator.NotIn,
                        "in" => ConditionOperator.In,
                        "lt" => ConditionOperator.Less,
                        "le" => ConditionOperator.LessOrEqual,
                        "gt" => ConditionOperator.Greater,
                        "ge" => ConditionOperator.GreaterOrEqual,
                        _ => null,
                    };
                    if (parsed == null) { Error(opNode, $"unknown operator '{op}'", "Use not, in, lt, le, gt or ge"); ok = false; continue; }
                    var values = Levels(keyNode, operand);
                    if (values == null) { ok = false; continue; }
                    if (parsed is not (ConditionOperator.In or ConditionOperator.NotIn) && (values.Count != 1 || values[0] is not (long or double)))
                    {
                        Error(operand, $"'{op}' compares with one number", $"Write '{op}: 0.001'");
                        ok = false;
                        continue;
                    }
                    conditions.Add(new Condition(key, parsed.Value, values));
                }
            }
            else if (Levels(keyNode, valueNode) is { } values)
                conditions.Add(new Condition(key, ConditionOperator.In, values));
            else ok = false;
        }
        return ok ? conditions : null;
    }

    List<object?>? Levels(YamlNode keyNode, YamlNode valueNode)
    {
        var key = KeyOf(keyNode);
        var nodes = valueNode is YamlSequenceNode seq ? seq.Children.ToList() : [valueNode];
        if (nodes.Count == 0) { Error(valueNode, $"'{key}' has an empty list of values", "Give at least one value"); return null; }
        var values = new List<object?>();
        foreach (var n in nodes)
        {
            if (!TryValue(key, n, out var v)) return null;
            values.Add(v);
        }
        return values;
    }

    bool TrySetting(YamlNode keyNode, YamlNode valueNode, out object? value)
    {
        value = null;
        return KnownSetting(keyNode) && TryValue(KeyOf(keyNode), valueNode, out value);
    }

    bool KnownSetting(YamlNode keyNode)
    {
        var key = KeyOf(keyNode);
        if (SettingsCatalog.TryGet(key, out _)) return true;
        Error(keyNode, $"unknown setting '{key}'", Suggest(key, SettingsCatalog.Keys, SettingsHelp));
        return false;
    }

    bool TryValue(string key, YamlNode node, out object? value)
    {
        value = null;
        if (node is not YamlScalarNode scalar)
        {
            Error(node, $"'{key}' needs a single value here", "Write a plain value (lists only where levels are expected)");
            return false;
        }
        var definition = SettingsCatalog.Get(key);
        var raw = IsNull(scalar) ? null : scalar.Value;
        if (definition.TryNormalize(raw, out value, out var problem))
        {
            if (key != SettingsCatalog.OptimizerArgs) return true;
            return OptimizerArgsWellFormed(node, value as string);
        }
        Error(node, $"'{key}': {problem}", definition.Choices != null ? Suggest(raw ?? "", definition.Choices, "") : $"{key} is {Describe(definition)}");
        return false;
    }

    /// <summary>
    /// Checks the form of optimizer_args where they are written and remembers that place; the keys and values are
    /// checked per job against its optimizer when planning (<see cref="SweepDefinition.OptimizerArgsWrittenAt"/>).
    /// </summary>
    bool OptimizerArgsWellFormed(YamlNode node, string? text)
    {
        try
        {
            OptimizerArguments.Parse(text);
        }
        catch (OptimizerArgumentException e)
        {
            Error(node, e.Message, OptimizerArgsHelp);
            return false;
        }
        if (!string.IsNullOrEmpty(text)) _optimizerArgsWrittenAt.TryAdd(text, Mark(node.Start));
        return true;
    }

    long? IntegerOf(YamlMappingNode map, string key, long min, long max, bool required)
    {
        var node = Child(map, key);
        if (node == null)
        {
            if (required) Error(map, $"missing '{key}'", $"Add '{key}:'");
            return null;
        }
        if (node is YamlScalarNode s && long.TryParse(s.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max) return v;
        Error(node, $"'{key}' must be a whole number from {min} to {max}", $"Write e.g. '{key}: {Math.Max(min, 1)}'");
        return null;
    }

    string? Scalar(YamlMappingNode map, string key, bool required)
    {
        var node = Child(map, key);
        if (node == null)
        {
            if (required) Error(map, $"missing '{key}'", $"Add a '{key}:' line");
            return null;
        }
        if (node is YamlScalarNode s && !IsNull(s) && !string.IsNullOrWhiteSpace(s.Value)) return s.Value;
        Error(node, $"'{key}' must be a non-empty text value", $"Write '{key}: ...'");
        return null;
    }

    static YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.FirstOrDefault(kv => kv.Key is YamlScalarNode s && s.Value == key).Value;

    static string KeyOf(YamlNode node) => YamlShapeCheck.Shorten(node is YamlScalarNode s ? s.Value ?? "" : node.ToString());

    static bool IsNull(YamlScalarNode s) =>
        s.Style == ScalarStyle.Plain && (s.Value is null or "" or "~" or "null" or "Null" or "NULL");

    static string Describe(SettingDefinition d)
    {
        var range = d.RangeText();
        var type = d.Type switch
        {
            SettingType.Integer => "a whole number",
            SettingType.Number => "a number",
            SettingType.Boolean => "true or false",
            _ => "text",
        };
        return range.Length == 0 ? type : $"{type} in {range}";
    }

    static string Suggest(string word, IEnumerable<string> known, string otherwise) =>
        ClosestMatch.Find(word, known) is { } near ? $"Did you mean '{near}'?" : otherwise;

    static string InnerMessage(Exception e) => e.InnerException is { } inner ? inner.Message : e.Message;

    SourceMark Mark(Mark mark) => new(_file, (int)mark.Line, (int)mark.Column);

    void Error(YamlNode node, string problem, string fix) => _errors.Add(new SweepError(Mark(node.Start), problem, fix));
}
