using System.Globalization;
using SweepRunner.Core.Planning;
using SweepRunner.Core.Scoring;
using SweepRunner.Core.Settings;
using SweepRunner.Core.Text;
using SweepRunner.Reports.Analysis;

namespace SweepRunner.Reports.NextSweep;

/// <summary>
/// Decides the next sweep from the results of one, as a person reading the report would: a setting whose best level is
/// likely or clearly better moves the base to it (a numeric one is then swept again around it, between its neighbours,
/// on a log scale where the catalog says the setting is compared in ratios); a setting no level of which stood out is
/// swept again with more seeds; a setting that changed nothing that was trained is dropped; a setting without a verdict
/// yet is kept as it was. Pure: the same plan, analysis and LoRA hashes always give the same next sweep.
/// </summary>
public static class NextSweepPlanner
{
    /// <summary>The most seeds per job the next sweep asks for.</summary>
    public const int MaxReplicates = 100;

    /// <summary>Seeds per job for settings that were not distinguishable with one seed.</summary>
    public const int FirstReplicates = 3;

    /// <param name="plan">The plan of the sweep file that ran, as planned now (its labels must match the results: see <see cref="Mismatches"/>).</param>
    /// <param name="analysis">The report's analysis of its results.</param>
    /// <param name="finalLoras">
    /// Each succeeded job's last LoRA file by label, as the data SHA-256 of its tensors; a setting every level of which
    /// trained the baseline's tensors is dropped. Jobs without a file are left out.
    /// </param>
    public static NextSweepPlan Decide(SweepPlan plan, SweepAnalysis analysis, IReadOnlyDictionary<string, string>? finalLoras = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(analysis);
        finalLoras ??= new Dictionary<string, string>(StringComparer.Ordinal);
        var byLabel = plan.Jobs.ToDictionary(job => job.Label, StringComparer.Ordinal);
        var baseSettings = new SortedDictionary<string, object?>(plan.Sweep.Base.ToDictionary(pair => pair.Key, pair => pair.Value), StringComparer.Ordinal);
        var moved = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var settings = new List<NextSetting>();

        foreach (var setting in analysis.Settings)
        {
            var next = IdenticalLoras(setting, analysis.Design, finalLoras) ?? DecideSetting(setting, plan, byLabel);
            settings.Add(next);
            if (next.Choice is NextChoice.Decided or NextChoice.Refined)
                foreach (var (key, value) in next.BaseValues)
                    if (!Equals(plan.EffectiveBase.GetValueOrDefault(key), value))
                    {
                        baseSettings[key] = value;
                        moved[key] = $"{key} {SettingFormat.Format(plan.EffectiveBase.GetValueOrDefault(key))} → {SettingFormat.Format(value)}, "
                                     + $"the best level ({SweepAnalyzer.Word(setting.Verdict.Sureness)})\n{Evidence(setting)}";
                    }
        }

        settings.AddRange(InertSettings(plan, analysis));

        var before = plan.Jobs.Select(job => job.Replicate).DefaultIfEmpty(1).Max();
        var swept = settings.Where(setting => setting.Levels.Count > 0).ToList();
        var replicates = Math.Max(before, swept.Select(setting => setting.Replicates).DefaultIfEmpty(1).Max());
        var ties = swept.Where(setting => setting.Choice == NextChoice.Replicated).Select(setting => setting.Name).ToList();
        string? replicatesReason = null;
        if (ties.Count > 0 && replicates > before)
            replicatesReason = $"{replicates} seeds per job (the sweep had {before}): {string.Join(", ", ties)} could not be told apart (see below). "
                               + "A verdict over seeds compares each level's seeds with the baseline's, and the baseline is shared, so every job trains with them.";
        else if (replicates > 1)
            replicatesReason = $"{replicates} seeds per job, as the sweep had.";

        return new NextSweepPlan(plan.Sweep.Name + "-next", baseSettings, moved, settings, replicates, replicatesReason);
    }

    /// <summary>
    /// The jobs whose results were recorded for other settings than the sweep file plans now (it was edited since it
    /// ran): each as a line saying which. The next sweep is only right when there are none.
    /// </summary>
    public static IReadOnlyList<string> Mismatches(SweepPlan plan, SweepAnalysis analysis)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(analysis);
        var byLabel = plan.Jobs.ToDictionary(job => job.Label, StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var job in analysis.Jobs)
        {
            if (!byLabel.TryGetValue(job.Label, out var planned))
            {
                problems.Add($"{job.Label}: has results but the file no longer plans it");
                continue;
            }

            var now = planned.Settings.ToDictionary(pair => pair.Key, pair => DiffText.Value(pair.Value), StringComparer.Ordinal);
            var changed = now.Keys.Union(job.Settings.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal)
                .Where(key => now.GetValueOrDefault(key) != job.Settings.GetValueOrDefault(key))
                .Select(key => $"{key} {job.Settings.GetValueOrDefault(key) ?? "unset"} → {now.GetValueOrDefault(key) ?? "unset"}")
                .ToList();
            if (changed.Count > 0) problems.Add($"{job.Label}: trained with other settings than the file now plans ({string.Join(", ", changed)})");
        }

        return problems;
    }

    static NextSetting DecideSetting(SettingAnalysis setting, SweepPlan plan, IReadOnlyDictionary<string, PlannedJob> byLabel)
    {
        var keys = setting.Keys;
        var levels = setting.Levels.Select(level => LevelValues(level, keys, plan, byLabel)).ToList();
        var baseValues = keys.ToDictionary(key => key, key => plan.EffectiveBase.GetValueOrDefault(key), StringComparer.Ordinal);
        var replicates = setting.Levels.SelectMany(level => level.Jobs)
            .Select(job => byLabel.TryGetValue(job.Label, out var planned) ? planned.Replicate : 1).DefaultIfEmpty(1).Max();
        var verdict = setting.Verdict;
        var evidence = Evidence(setting);
        var others = levels.Where(values => !SameValues(values, keys, baseValues)).ToList();

        if (verdict.Sureness == Sureness.InsufficientData || verdict.BestLevel is null)
            return new NextSetting(keys, NextChoice.Kept, others, baseValues, replicates, $"kept as it was: nothing to judge yet\n{evidence}");

        if (verdict.Sureness == Sureness.NotDistinguishable)
        {
            var more = Math.Min(MaxReplicates, replicates == 1 ? FirstReplicates : replicates * 2);
            var why = setting.BySeeds
                ? $"within seed noise: swept again with the same levels and {more} seeds per job (was {replicates})"
                : $"not distinguishable: swept again with the same levels and {more} seeds per job, to tell an effect from luck";
            return new NextSetting(keys, NextChoice.Replicated, others, baseValues, more, $"{why}\n{evidence}");
        }

        var best = LevelValues(verdict.BestLevel, keys, plan, byLabel);
        var bestBase = keys.Select((key, i) => (key, value: best[i])).ToDictionary(pair => pair.key, pair => pair.value, StringComparer.Ordinal);
        var sureness = SweepAnalyzer.Word(verdict.Sureness);
        var decided = $"decided ({sureness}): the base takes {string.Join(", ", best.Select(SettingFormat.Format))} and the setting is no longer swept";
        if (keys.Count == 1 && Numeric(keys[0], levels.Select(values => values[0]).ToList()) is { } numbers)
        {
            var key = keys[0];
            var definition = SettingsCatalog.Get(key);
            if (definition.LogScale && numbers.Any(number => number <= 0))
                return new NextSetting(keys, NextChoice.Decided, [], bestBase, replicates,
                    $"{decided}; not refined: it is compared on a log scale, where a level of 0 or less has no place\n{evidence}");

            var bestNumber = Convert.ToDouble(best[0], CultureInfo.InvariantCulture);
            var (refined, note) = Refine(key, numbers, bestNumber);
            var refinedLevels = refined.Select(value => (IReadOnlyList<object?>)[Typed(key, value)])
                .Where(values => !Equals(values[0], bestBase[key])).ToList();
            if (refinedLevels.Count == 0)
                return new NextSetting(keys, NextChoice.Decided, [], bestBase, replicates, $"{decided}: no value {note} is left to try\n{evidence}");
            return new NextSetting(keys, NextChoice.Refined, refinedLevels, bestBase, replicates,
                $"{SettingFormat.Format(best[0])} is best ({sureness}), so the base {(verdict.BestLevel.IsBaseline ? "keeps" : "takes")} it; refined {note}\n{evidence}");
        }

        return new NextSetting(keys, NextChoice.Decided, [], bestBase, replicates, $"{decided}\n{evidence}");
    }

    /// <summary>
    /// One-factor levels that all trained the baseline's tensors (the same LoRA data hash, seed for seed): the setting
    /// changed nothing here, whatever the scores say. Null when any level trained something else or has no file.
    /// </summary>
    static NextSetting? IdenticalLoras(SettingAnalysis setting, DesignKind design, IReadOnlyDictionary<string, string> finalLoras)
    {
        if (design != DesignKind.OneFactorAtATime || setting.Baseline is not { } baselineLevel || setting.Levels.Count < 2) return null;
        List<string>? Hashes(LevelAnalysis level)
        {
            var hashes = level.Jobs.Select(job => finalLoras.GetValueOrDefault(job.Label)).ToList();
            return hashes.Count > 0 && hashes.All(hash => hash is not null) ? hashes.OfType<string>().Order(StringComparer.Ordinal).ToList() : null;
        }

        if (Hashes(baselineLevel) is not { } baseline) return null;
        if (!setting.Levels.All(level => Hashes(level) is { } hashes && hashes.SequenceEqual(baseline, StringComparer.Ordinal))) return null;
        var levels = string.Join(", ", setting.Levels.Select(level => level.Value));
        return new NextSetting(setting.Keys, NextChoice.Dropped, [], new Dictionary<string, object?>(StringComparer.Ordinal), 1,
            $"dropped: every level ({levels}) trained a LoRA with the same tensors as the baseline's (data sha256 {baseline[0][..12]}…), "
            + $"so it changes nothing here; any difference in scores is the scorers'\n{Evidence(setting)}");
    }

    /// <summary>The settings the sweep varied whose every job was a duplicate of another: they changed nothing that is trained.</summary>
    static IEnumerable<NextSetting> InertSettings(SweepPlan plan, SweepAnalysis analysis)
    {
        var analysed = analysis.Settings.SelectMany(setting => setting.Keys).ToHashSet(StringComparer.Ordinal);
        var changers = plan.Jobs.Where(job => job.Replicate == 1 && job.Diff.Count > 0).ToList();
        var keys = changers.SelectMany(job => job.Diff.Keys).Distinct(StringComparer.Ordinal).Where(key => !analysed.Contains(key)).Order(StringComparer.Ordinal);
        // Keys that every job changes together (a paired axis) are one setting.
        var groups = keys.GroupBy(key => string.Join("\u001f", changers.Where(job => job.Diff.ContainsKey(key)).Select(job => job.Label)), StringComparer.Ordinal);
        foreach (var group in groups)
        {
            var jobs = changers.Where(job => job.Diff.ContainsKey(group.First())).ToList();
            if (jobs.Any(job => job.DuplicateOf is null)) continue;
            var reasons = jobs.Select(job => job.DuplicateReason).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
            var examples = jobs.Take(3).Select(job => $"{job.Label} is a duplicate of {job.DuplicateOf}").ToList();
            if (jobs.Count > examples.Count) examples.Add($"{jobs.Count - examples.Count} more");
            yield return new NextSetting(group.ToList(), NextChoice.Dropped, [], new Dictionary<string, object?>(StringComparer.Ordinal), 1,
                $"dropped: every level trained the same LoRA as another job ({string.Join("; ", examples)})"
                + (reasons.Count > 0 ? $"\nthe planner's reason: {string.Join("; ", reasons)}" : ""));
        }
    }

    /// <summary>
    /// The levels around the best: the midpoints between it and each neighbour (geometric where the catalog says the
    /// setting is on a log scale, else arithmetic), or, with the best at an end, one step beyond it (its ratio or
    /// difference to its neighbour); integers rounded, others to 3 significant digits, duplicates and values outside
    /// the catalog's range left out. The best itself is among them.
    /// </summary>
    /// <returns>The levels in ascending order, and a note saying how they were made ("on a log scale between its neighbours 1e-4 and 1e-2").</returns>
    public static (IReadOnlyList<double> Levels, string Note) Refine(string key, IReadOnlyList<double> levels, double best)
    {
        ArgumentNullException.ThrowIfNull(levels);
        var definition = SettingsCatalog.Get(key);
        var sorted = levels.Distinct().Order().ToList();
        var index = sorted.IndexOf(best);
        var log = definition.LogScale && sorted.All(value => value > 0);
        double Mid(double a, double b) => log ? Math.Sqrt(a * b) : (a + b) / 2;
        double Beyond(double edge, double neighbour) => log ? edge * edge / neighbour : 2 * edge - neighbour;
        string Step(double edge, double neighbour) => log
            ? $"×{Format(RoundSignificant(Math.Max(edge, neighbour) / Math.Min(edge, neighbour)))}"
            : $"{Format(RoundSignificant(Math.Abs(edge - neighbour)))}";
        var scale = log ? "on a log scale" : "on a linear scale";
        List<double> result;
        string note;
        double? beyond = null;
        if (sorted.Count < 2 || index < 0)
        {
            return ([best], "(no neighbour to refine towards)");
        }

        if (index == 0)
        {
            beyond = Beyond(best, sorted[1]);
            result = [beyond.Value, best, Mid(best, sorted[1])];
            note = $"{scale} towards its neighbour {Format(sorted[1])}; it is the lowest level tried, so the next sweep also tries one step "
                   + $"({Step(best, sorted[1])}) below it";
        }
        else if (index == sorted.Count - 1)
        {
            beyond = Beyond(best, sorted[^2]);
            result = [Mid(sorted[^2], best), best, beyond.Value];
            note = $"{scale} towards its neighbour {Format(sorted[^2])}; it is the highest level tried, so the next sweep also tries one step "
                   + $"({Step(best, sorted[^2])}) above it";
        }
        else
        {
            result = [Mid(sorted[index - 1], best), best, Mid(best, sorted[index + 1])];
            note = $"{scale} between its neighbours {Format(sorted[index - 1])} and {Format(sorted[index + 1])}";
        }

        double Round(double value) => definition.Type == SettingType.Integer ? Math.Round(value, MidpointRounding.AwayFromZero) : RoundSignificant(value);
        bool InRange(double value) => (definition.Min is not { } min || value >= min) && (definition.Max is not { } max || value <= max);
        if (beyond is { } step && !InRange(Round(step)))
            note += $", but that ({Format(Round(step))}) is outside its range ({definition.RangeText()}) and is left out";
        var rounded = result.Select(Round).Where(InRange).Distinct().Order().ToList();
        return (rounded, note);
    }

    /// <summary>Three significant digits: 3.16e-4, not 3.1622776601683794e-4.</summary>
    static double RoundSignificant(double value)
    {
        if (value == 0 || !double.IsFinite(value)) return value;
        return double.Parse(value.ToString("G3", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    static string Format(double value) => SettingFormat.Format(value);

    /// <summary>
    /// The numbers a choice rests on, as comment lines: each level's mean score and n (per seed with replicates), the
    /// gap between the best level and its reference in points and standard errors, and the report's verdict.
    /// </summary>
    public static string Evidence(SettingAnalysis setting)
    {
        ArgumentNullException.ThrowIfNull(setting);
        var verdict = setting.Verdict;
        SampleSummary Measure(LevelAnalysis level) => setting.BySeeds ? level.SeedScores : level.Score;
        var unit = setting.BySeeds ? "seed" : "score";
        var levels = setting.Levels.Select(level =>
        {
            var summary = Measure(level);
            var mean = summary.Mean is not { } m ? "no scores"
                : summary.StandardError is { } se ? F($"{m:0.0} ± {se:0.0}") : F($"{m:0.0}");
            return F($"{level.Value}{(level.IsBaseline ? " (baseline)" : "")} {mean} (n={summary.N} {unit}{(summary.N == 1 ? "" : "s")})");
        });
        var lines = new List<string> { $"mean score{(setting.BySeeds ? " per seed" : "")} ± SE by level: {string.Join("; ", levels)}" };
        if (verdict is { BestLevel: { } best, Reference: { } reference, VersusReference: { } gap })
        {
            var errors = gap.StandardErrors switch
            {
                null => "no standard error",
                double.PositiveInfinity => "every score identical within each level",
                var k => F($"{k:0.0} SE"),
            };
            lines.Add(F($"gap: {best.Value} − {reference.Value} = {gap.Difference:+0.0;-0.0;0.0} points ({errors}; 2 SE is likely, 3 SE clear)"));
        }

        lines.Add($"verdict: {verdict.Text}");
        return string.Join('\n', lines);
    }

    static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    static object? Typed(string key, double value) => SettingsCatalog.Get(key).Type == SettingType.Integer ? (long)value : value;

    static List<double>? Numeric(string key, IReadOnlyList<object?> values)
    {
        if (SettingsCatalog.Get(key).Type is not (SettingType.Integer or SettingType.Number)) return null;
        if (values.Any(value => value is not (long or double or int))) return null;
        return values.Select(value => Convert.ToDouble(value, CultureInfo.InvariantCulture)).ToList();
    }

    /// <summary>A level's values per key, typed, read from one of its planned jobs.</summary>
    static IReadOnlyList<object?> LevelValues(LevelAnalysis level, IReadOnlyList<string> keys, SweepPlan plan, IReadOnlyDictionary<string, PlannedJob> byLabel)
    {
        var job = level.Jobs.Select(j => byLabel.GetValueOrDefault(j.Label)).FirstOrDefault(j => j is not null);
        return keys.Select(key => job is null ? plan.EffectiveBase.GetValueOrDefault(key) : job.Settings.GetValueOrDefault(key)).ToList();
    }

    static bool SameValues(IReadOnlyList<object?> values, IReadOnlyList<string> keys, IReadOnlyDictionary<string, object?> baseValues) =>
        keys.Select((key, i) => Equals(values[i], baseValues[key])).All(same => same);
}
