using System.Globalization;
using SweepRunner.Core.Datasets;
using SweepRunner.Core.Previews;
using SweepRunner.Core.Settings;
using SweepRunner.Core.Sweeps;
using static SweepRunner.Core.Settings.SettingsCatalog;

namespace SweepRunner.Core.Planning;

/// <summary>
/// Expands a sweep into jobs: effective settings = catalog defaults ← kohya import ← base ← block values;
/// blocks are unioned in file order; constraints drop jobs; jobs whose non-inert settings match an
/// earlier job's are kept as duplicates of it and never trained twice.
/// </summary>
public sealed class Planner
{
    /// <summary>Seconds one training step of this job takes, as measured; null falls back to <see cref="FallbackStepTime"/>.</summary>
    public Func<IReadOnlyDictionary<string, object?>, double?>? SecondsPerStep { get; init; }

    public int ExcludedExamplesKept { get; init; } = 200;

    /// <summary>Jobs of earlier sweeps in the results folder that a longer job of this plan may continue.</summary>
    public IReadOnlyList<EarlierRun> EarlierRuns { get; init; } = [];

    /// <summary>Ids of finished jobs whose final training state is gone: no job continues them, even a job of the same plan.</summary>
    public IReadOnlySet<string> SpentRuns { get; init; } = new HashSet<string>();

    /// <param name="Replicates">How many seeds the candidate trains with.</param>
    /// <param name="Replicate">Which of them this is (1 is the candidate's own seed).</param>
    /// <param name="Group">The label of the first replicate, shared by all of them; null for a candidate with one seed.</param>
    record Candidate(string Label, string Kind, IReadOnlyDictionary<string, object?> Overrides, int Replicates = 1, int Replicate = 1, string? Group = null);

    public SweepPlan Plan(SweepDefinition sweep)
    {
        var effectiveBase = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var d in All) effectiveBase[d.Key] = d.Default;
        foreach (var (k, v) in sweep.Base) effectiveBase[k] = v;
        // One validation seed for the whole sweep, so a swept or replicated seed does not change the held-out images or noise.
        effectiveBase[ValidationSeed] ??= effectiveBase[Seed];

        var captionExtension = (string)effectiveBase[CaptionExtension]!;
        DatasetInfo dataset;
        try
        {
            dataset = DatasetScanner.Scan(sweep.Resolve(sweep.DatasetPath), captionExtension);
        }
        catch (DatasetException e)
        {
            throw new SweepValidationException([new SweepError(new SourceMark(sweep.FilePath, 0, 0), e.Message, "Fix the dataset folder named by 'dataset:'")]);
        }

        var warnings = new List<string>(sweep.ImportNotes);
        if (sweep.AutoScores is { } autoScores)
            foreach (var (kind, folder) in new[] { ("clip", autoScores.Clip), ("dino", autoScores.Dino) })
                if (folder is not null && (!File.Exists(Path.Combine(folder, "config.json")) || !File.Exists(Path.Combine(folder, "model.safetensors"))))
                    warnings.Add($"auto_scores {kind} folder '{folder}' has no config.json and model.safetensors; its jobs train, but their previews get no {kind} scores until it has (see README, 'Automatic scores')");
        var modelFingerprints = new Dictionary<string, string>(StringComparer.Ordinal);
        var stepCache = new Dictionary<StepKey, StepPlan>();
        var firstById = new Dictionary<string, PlannedJob>(StringComparer.Ordinal);
        var labels = new HashSet<string>(StringComparer.Ordinal);
        var jobs = new List<PlannedJob>();
        var excluded = new List<ExcludedJob>();
        var excludedCount = 0;
        var effective = new Dictionary<string, object?>(effectiveBase, StringComparer.Ordinal);
        var optimizerChecks = new Dictionary<(string?, string?), OptimizerArgumentException?>();
        var optimizerErrors = new List<SweepError>();
        var reported = new HashSet<string>(StringComparer.Ordinal);
        var promptFiles = new HashSet<string>(StringComparer.Ordinal);
        var promptErrors = new List<SweepError>();
        var validationChecks = new HashSet<string>(StringComparer.Ordinal);

        foreach (var candidate in Replicated(Candidates(sweep, effectiveBase), effectiveBase))
        {
            foreach (var (k, v) in effectiveBase) effective[k] = v;
            foreach (var (k, v) in candidate.Overrides) effective[k] = v;

            if (Violated(sweep.Constraints, effective) is { } rule)
            {
                excludedCount++;
                if (excluded.Count < ExcludedExamplesKept) excluded.Add(new ExcludedJob(candidate.Label, rule.Describe()));
                continue;
            }

            if (OptimizerArgsProblem(effective, optimizerChecks) is { } problem)
            {
                var error = OptimizerArgsError(sweep, effective, problem, candidate.Label);
                if (reported.Add(error.Where + " " + problem.Message)) optimizerErrors.Add(error);
                continue;
            }

            var model = (string)effective[BaseModel]!;
            if (!modelFingerprints.TryGetValue(model, out var modelFingerprint))
            {
                modelFingerprint = ModelFingerprint.Of(model, sweep.Directory, out var exists);
                if (!exists)
                    warnings.Add($"base model '{model}' not found (relative to {sweep.Directory}); its jobs can be planned but not run until it exists" +
                                 (ModelFingerprint.LooksLikeHubId(model)
                                     ? $". It looks like a Hugging Face model id, but SweepRunner does not download models: download it (e.g. 'huggingface-cli download {model}') and give the .safetensors file or the diffusers folder"
                                     : ""));
                modelFingerprints[model] = modelFingerprint;
            }

            var view = SettingsEquivalence.IdentityView(effective);
            view[NumRepeats] = effective[NumRepeats] ?? CommonRepeats(dataset);
            var canonical = JobIdentity.CanonicalText(view, dataset.Fingerprint, modelFingerprint);
            var id = JobIdentity.Id(canonical);

            var steps = StepsFor(dataset, effective, stepCache);
            var measuredSeconds = SecondsPerStep?.Invoke(effective);
            var secondsPerStep = measuredSeconds ?? FallbackStepTime.SecondsPerStep(effective, sweep.StepsPerSecond);
            var diff = new SortedDictionary<string, object?>(StringComparer.Ordinal);
            foreach (var (k, v) in effective)
                if (!Equals(v, effectiveBase[k])) diff[k] = v;

            var label = candidate.Label;
            for (var n = 2; !labels.Add(label); n++) label = $"{candidate.Label}#{n}";
            CheckPromptFile(sweep, effective, label, promptFiles, promptErrors, warnings);
            CheckValidationSet(sweep, dataset, effective, label, validationChecks, promptErrors);
            var first = firstById.GetValueOrDefault(id);
            var job = new PlannedJob(id, label, candidate.Kind, effectiveBase, diff, steps, first?.Label, steps.TotalSteps * secondsPerStep)
            {
                DuplicateReason = first is null ? null : DuplicateReason.Explain(first.Settings, effective),
                EstimateMeasured = measuredSeconds is not null,
                ReplicateGroup = candidate.Group,
                Replicate = candidate.Replicate,
                PrefixKey = first is null ? RunPrefix.Key(effective, canonical) : first.PrefixKey,
            };
            if (first is null) firstById[id] = job;
            jobs.Add(job);
        }

        if (optimizerErrors.Count + promptErrors.Count > 0) throw new SweepValidationException([.. optimizerErrors, .. promptErrors]);

        foreach (var (id, continuation) in RunPrefix.Find(jobs, EarlierRuns, SpentRuns)) firstById[id].ContinueFrom(continuation);
        var unique = jobs.Where(j => j.DuplicateOf == null).ToList();
        var totals = new PlanTotals(jobs.Count, unique.Count, excludedCount, unique.Sum(j => j.Steps.TotalSteps), unique.Sum(j => j.EstimatedSeconds))
        {
            StepsToTrain = unique.Sum(j => j.StepsToTrain),
            StepsAlone = jobs.Sum(j => j.Steps.TotalSteps),
        };
        return new SweepPlan(sweep, dataset, effectiveBase, jobs, excluded, warnings, totals);
    }

    /// <summary>
    /// Reads the preview prompt file of a job that renders previews, the first time a job names it, and adds what is
    /// wrong with it (each problem with its file and line) to <paramref name="errors"/>: training would otherwise find
    /// it only when the job renders its first preview.
    /// </summary>
    static void CheckPromptFile(SweepDefinition sweep, Dictionary<string, object?> s, string label, HashSet<string> checkedFiles,
        List<SweepError> errors, List<string> warnings)
    {
        if (s[SamplePrompts] is not string file || (s[SampleEveryNEpochs] is null && s[SampleAtFirst] is not true) || !checkedFiles.Add(file)) return;
        // Named as the sweep file is named (relative to where the command runs when the sweep's path is).
        var shown = Path.Combine(Path.GetDirectoryName(sweep.FilePath) ?? "", file);
        if (file.Contains('\0', StringComparison.Ordinal) && !sweep.IsImportedPromptText(file))
        {
            errors.Add(new SweepError(new SourceMark(sweep.FilePath, 0, 0), "sample_prompts holds a NUL character", "Give the path of the prompt file, relative to the sweep file"));
            return;
        }
        if (sweep.IsImportedPromptText(file)) shown = sweep.ImportedPrompts!.Source;
        var prompts = sweep.IsImportedPromptText(file) ? ImportedPromptFile(sweep.ImportedPrompts!) : SamplePromptFileParser.Load(sweep.Resolve(file), shown);
        errors.AddRange(prompts.Errors);
        warnings.AddRange(prompts.Warnings);
        if (prompts.Errors.Count == 0 && prompts.Prompts.Count == 0)
            errors.Add(new SweepError(new SourceMark(shown, 0, 0), $"the prompt file has no prompts, only blank lines and '#' comments, but job '{label}' renders previews",
                "Add a prompt line, or turn previews off (sample_every_n_epochs: null and sample_at_first: false)"));
    }

    /// <summary>
    /// Checks a job's validation set once per (split, folder, seed): a folder that cannot be read, or a split that
    /// holds out no image, would otherwise fail the job when training starts.
    /// </summary>
    static void CheckValidationSet(SweepDefinition sweep, DatasetInfo dataset, Dictionary<string, object?> s, string label, HashSet<string> checkedSets,
        List<SweepError> errors)
    {
        if (!ValidationSet.IsOn(s)) return;
        var folder = s[ValidationDataDir] as string;
        if (!checkedSets.Add($"{folder}\n{SettingFormat.Format(s[ValidationSplit])}\n{ValidationSet.Seed(s)}")) return;
        var where = new SourceMark(sweep.FilePath, 0, 0);
        if (folder is not null)
        {
            try
            {
                DatasetScanner.Scan(sweep.Resolve(folder), (string)s[CaptionExtension]!);
            }
            catch (Exception e) when (e is DatasetException or IOException or UnauthorizedAccessException or ArgumentException)
            {
                errors.Add(new SweepError(where, $"validation_data_dir '{folder}' of job '{label}': {e.Message}",
                    "Give a folder in the dataset's kohya layout (<repeats>_<class>/ subfolders with images and captions), relative to the sweep file"));
            }
            return;
        }
        if (ValidationSet.Split(dataset, s).HeldOut.Count == 0)
            errors.Add(new SweepError(where,
                string.Create(CultureInfo.InvariantCulture, $"validation_split {SettingFormat.Format(s[ValidationSplit])} of job '{label}' holds out no image: each dataset folder keeps ceil(images × (1 − split)) for training"),
                "Raise validation_split (a folder of N images needs at least 1/N), or give a separate validation_data_dir"));
    }

    /// <summary>Prompts written into a kohya_ss config, checked with the rules and the size cap of a prompt file.</summary>
    static SamplePromptFile ImportedPromptFile(ImportedPrompts imported) =>
        System.Text.Encoding.UTF8.GetByteCount(imported.Text) > PreviewLimits.MaxPromptFileBytes
            ? new([], [], [new SweepError(new SourceMark(imported.Source, 0, 0),
                string.Create(CultureInfo.InvariantCulture, $"the prompts are longer than {PreviewLimits.MaxPromptFileBytes:#,0} bytes (1 MiB), the most read"),
                "A few preview prompts are enough, each rendered at every preview epoch; shorten them")])
            : SamplePromptFileParser.Parse(imported.Text, imported.Source);

    /// <summary>What training would refuse in this job's optimizer_args for its optimizer_type, checked once per pair.</summary>
    static OptimizerArgumentException? OptimizerArgsProblem(Dictionary<string, object?> s, Dictionary<(string?, string?), OptimizerArgumentException?> checks)
    {
        var pair = (s[Optimizer] as string, s[OptimizerArgs] as string);
        if (!checks.TryGetValue(pair, out var problem))
        {
            try
            {
                OptimizerArguments.Validate(pair.Item1, pair.Item2);
            }
            catch (OptimizerArgumentException e)
            {
                problem = e;
            }
            checks[pair] = problem;
        }
        return problem;
    }

    /// <summary>The error at the place the job's optimizer_args are written (the file itself when unknown).</summary>
    static SweepError OptimizerArgsError(SweepDefinition sweep, Dictionary<string, object?> s, OptimizerArgumentException problem, string label)
    {
        var where = s[OptimizerArgs] is string args && sweep.OptimizerArgsWrittenAt.TryGetValue(args, out var mark) ? mark : new SourceMark(sweep.FilePath, 0, 0);
        var optimizer = OptimizerRegistry.Find(s[Optimizer] as string)!;
        var accepted = optimizer.Arguments.Count == 0 ? "no optimizer_args" : string.Join(", ", optimizer.Arguments.Select(a => a.Key));
        var fix = problem.Key is { } key && optimizer.Argument(key) is null
            ? $"{problem.Optimizer} accepts {accepted} (README.md, 'Optimizers'); where a sweep varies optimizer_type, give each optimizer its own optimizer_args in a 'paired' group or a list pattern"
            : $"Correct the value (README.md, 'Optimizers', lists the keys of {problem.Optimizer} and their defaults)";
        return new SweepError(where, $"{problem.Message}; first in job '{label}'", fix);
    }

    static long? CommonRepeats(DatasetInfo dataset) =>
        dataset.Folders.Select(f => f.Repeats).Distinct().Count() == 1 ? dataset.Folders[0].Repeats : null;

    static readonly string[] StepKeys =
        [NumRepeats, BatchSize, GradientAccumulation, Epochs, EnableBucket, Resolution, MinBucketReso, MaxBucketReso, BucketResoSteps, SaveEveryNEpochs, SampleEveryNEpochs, SampleAtFirst,
         ValidationSplit, ValidationDataDir, ValidationSeed];

    static StepPlan StepsFor(DatasetInfo dataset, Dictionary<string, object?> s, Dictionary<StepKey, StepPlan> cache)
    {
        var values = new object?[StepKeys.Length];
        for (var i = 0; i < values.Length; i++) values[i] = s[StepKeys[i]];
        var key = new StepKey(values);
        if (!cache.TryGetValue(key, out var steps)) cache[key] = steps = StepPlan.For(dataset, s);
        return steps;
    }

    /// <summary>The settings step arithmetic depends on, compared by value.</summary>
    readonly struct StepKey(object?[] values) : IEquatable<StepKey>
    {
        readonly object?[] _values = values;

        public bool Equals(StepKey other) => _values.AsSpan().SequenceEqual(other._values, EqualityComparer<object?>.Default);

        public override bool Equals(object? obj) => obj is StepKey other && Equals(other);

        public override int GetHashCode()
        {
            var hash = new HashCode();
            foreach (var v in _values) hash.Add(v);
            return hash.ToHashCode();
        }
    }

    static IEnumerable<Candidate> Candidates(SweepDefinition sweep, IReadOnlyDictionary<string, object?> effectiveBase)
    {
        var empty = new Dictionary<string, object?>();
        if (sweep.Blocks.OfType<OfatBlock>().FirstOrDefault() is { } firstOfat)
            yield return new Candidate(sweep.BaselineLabel, "baseline", empty, firstOfat.Replicates ?? sweep.Replicates);
        foreach (var block in sweep.Blocks)
        {
            var source = block switch
            {
                OfatBlock ofat => Ofat(ofat, effectiveBase),
                GridBlock grid => Grid(grid),
                ListBlock list => list.Patterns.Select(p => new Candidate(p.Label, "list", p.Settings, p.Replicates ?? sweep.Replicates)),
                RandomBlock random => Random(random),
                _ => throw new InvalidOperationException($"unknown block {block.Kind}"),
            };
            var replicates = block.Replicates ?? sweep.Replicates;
            foreach (var candidate in source) yield return block is ListBlock ? candidate : candidate with { Replicates = replicates };
        }
    }

    /// <summary>
    /// Each candidate once per replicate, one after another: the first with its own seed and label, the k-th with
    /// <see cref="ReplicateSeeds.Of"/> its seed and k, labelled <c>{label}-r{k}</c>.
    /// </summary>
    static IEnumerable<Candidate> Replicated(IEnumerable<Candidate> candidates, IReadOnlyDictionary<string, object?> effectiveBase)
    {
        foreach (var candidate in candidates)
        {
            if (candidate.Replicates == 1)
            {
                yield return candidate;
                continue;
            }
            var seed = Convert.ToInt64(candidate.Overrides.GetValueOrDefault(Seed) ?? effectiveBase[Seed], CultureInfo.InvariantCulture);
            yield return candidate with { Group = candidate.Label };
            for (var k = 2; k <= candidate.Replicates; k++)
            {
                var overrides = new Dictionary<string, object?>(candidate.Overrides, StringComparer.Ordinal) { [Seed] = ReplicateSeeds.Of(seed, k) };
                yield return candidate with { Label = $"{candidate.Label}-r{k}", Overrides = overrides, Replicate = k, Group = candidate.Label };
            }
        }
    }

    /// <summary>The baseline plus each level of each axis changed alone (levels equal to the baseline are the baseline itself).</summary>
    static IEnumerable<Candidate> Ofat(OfatBlock block, IReadOnlyDictionary<string, object?> effectiveBase)
    {
        foreach (var axis in block.Axes)
        foreach (var row in axis.Rows)
        {
            var overrides = Zip(axis.Keys, row);
            if (overrides.All(p => Equals(p.Value, effectiveBase[p.Key]))) continue;
            yield return new Candidate(LabelOf(overrides), "ofat", overrides);
        }
    }

    static IEnumerable<Candidate> Grid(GridBlock block)
    {
        var axes = block.Axes;
        var index = new int[axes.Count];
        while (true)
        {
            var overrides = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var a = 0; a < axes.Count; a++)
                foreach (var (k, v) in Zip(axes[a].Keys, axes[a].Rows[index[a]])) overrides[k] = v;
            yield return new Candidate(LabelOf(overrides), "grid", overrides);
            var carry = axes.Count - 1;
            while (carry >= 0 && ++index[carry] == axes[carry].Rows.Count) index[carry--] = 0;
            if (carry < 0) yield break;
        }
    }

    static IEnumerable<Candidate> Random(RandomBlock block)
    {
        var rng = new Random(block.Seed);
        for (var i = 0; i < block.Count; i++)
        {
            var overrides = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var axis in block.Axes)
            {
                if (axis.Levels is { } levels)
                {
                    foreach (var (k, v) in Zip(levels.Keys, levels.Rows[rng.Next(levels.Rows.Count)])) overrides[k] = v;
                    continue;
                }
                var u = rng.NextDouble();
                var key = axis.Key!;
                object value = axis.Distribution switch
                {
                    Distribution.IntUniform => (long)Math.Floor(axis.Low + u * (axis.High - axis.Low + 1)),
                    Distribution.LogUniform => Math.Exp(Math.Log(axis.Low) + u * (Math.Log(axis.High) - Math.Log(axis.Low))),
                    _ => axis.Low + u * (axis.High - axis.Low),
                };
                overrides[key] = Get(key).Type == SettingType.Integer
                    ? (long)Math.Round(Convert.ToDouble(value, CultureInfo.InvariantCulture))
                    : value is double d ? RoundSignificant(d, 4) : value;
            }
            yield return new Candidate($"random-{i + 1}", "random", overrides);
        }
    }

    static Constraint? Violated(IReadOnlyList<Constraint> constraints, IReadOnlyDictionary<string, object?> s)
    {
        foreach (var rule in constraints)
        {
            var matches = rule.When.All(c => Holds(c, s));
            if (rule.Require == null ? matches : matches && !rule.Require.All(c => Holds(c, s))) return rule;
        }
        return null;
    }

    static bool Holds(Condition c, IReadOnlyDictionary<string, object?> s)
    {
        var value = s[c.Key];
        return c.Operator switch
        {
            ConditionOperator.In => c.Values.Any(v => Equals(v, value)),
            ConditionOperator.NotIn => !c.Values.Any(v => Equals(v, value)),
            _ when value is null => false,
            ConditionOperator.Less => Number(value) < Number(c.Values[0]),
            ConditionOperator.LessOrEqual => Number(value) <= Number(c.Values[0]),
            ConditionOperator.Greater => Number(value) > Number(c.Values[0]),
            _ => Number(value) >= Number(c.Values[0]),
        };
    }

    static double Number(object? v) => Convert.ToDouble(v, CultureInfo.InvariantCulture);

    static Dictionary<string, object?> Zip(IReadOnlyList<string> keys, IReadOnlyList<object?> row)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        for (var i = 0; i < keys.Count; i++) result[keys[i]] = row[i];
        return result;
    }

    static string LabelOf(IReadOnlyDictionary<string, object?> overrides) =>
        string.Join(",", overrides.Select(p => $"{p.Key}={SettingFormat.Format(p.Value)}"));

    static double RoundSignificant(double value, int digits) =>
        value == 0 ? 0 : double.Parse(value.ToString("G" + digits, CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
