using System.Globalization;
using SweepRunner.Core.Planning;
using SweepRunner.Core.Settings;
using SweepRunner.Reports.Analysis;

namespace SweepRunner.Reports.NextSweep;

/// <summary>
/// Decides the next sweep from the results of one, as a person reading the report would: a setting whose best level is
/// likely or clearly better moves the base to it (a numeric one is then swept again around it, between its neighbours,
/// on a log scale for rates, alpha and dims); a setting no level of which stood out is swept again with more seeds; a
/// setting every level of which trained the baseline's LoRA is dropped; a setting without a verdict yet is kept as it was.
/// </summary>
public static class NextSweepPlanner
{
    /// <summary>Settings whose values are compared in ratios, not differences.</summary>
    static readonly HashSet<string> LogScaled = new(StringComparer.Ordinal)
    {
        SettingsCatalog.LearningRate, SettingsCatalog.UnetLr, SettingsCatalog.TextEncoderLr, SettingsCatalog.NetworkAlpha,
        SettingsCatalog.NetworkDim, SettingsCatalog.ConvDim, SettingsCatalog.ConvAlpha,
    };

    const int MaxReplicates = 100;

    public static NextSweepPlan Decide(SweepPlan plan, SweepAnalysis analysis)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(analysis);
        var byLabel = plan.Jobs.ToDictionary(job => job.Label, StringComparer.Ordinal);
        var baseSettings = new SortedDictionary<string, object?>(plan.Sweep.Base.ToDictionary(pair => pair.Key, pair => pair.Value), StringComparer.Ordinal);
        var moved = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var settings = new List<NextSetting>();

        foreach (var setting in analysis.Settings)
        {
            var next = DecideSetting(setting, plan, byLabel);
            settings.Add(next);
            if (next.Choice is NextChoice.Decided or NextChoice.Refined)
                foreach (var (key, value) in next.BaseValues)
                    if (!Equals(plan.EffectiveBase.GetValueOrDefault(key), value))
                    {
                        baseSettings[key] = value;
                        moved[key] = $"{key} {SettingFormat.Format(plan.EffectiveBase.GetValueOrDefault(key))} → {SettingFormat.Format(value)}: {setting.Verdict.Text}";
                    }
        }

        settings.AddRange(InertSettings(plan, analysis));
        return new NextSweepPlan(plan.Sweep.Name + "-next", baseSettings, moved, settings);
    }

    static NextSetting DecideSetting(SettingAnalysis setting, SweepPlan plan, IReadOnlyDictionary<string, PlannedJob> byLabel)
    {
        var keys = setting.Keys;
        var levels = setting.Levels.Select(level => LevelValues(level, keys, plan, byLabel)).ToList();
        var baseValues = keys.ToDictionary(key => key, key => plan.EffectiveBase.GetValueOrDefault(key), StringComparer.Ordinal);
        var replicates = setting.Levels.SelectMany(level => level.Jobs).Select(job => byLabel.TryGetValue(job.Label, out var planned) ? planned.Replicate : 1)
            .DefaultIfEmpty(1).Max();
        var verdict = setting.Verdict;
        var others = levels.Where(values => !SameValues(values, keys, baseValues)).ToList();

        if (verdict.Sureness == Sureness.InsufficientData || verdict.BestLevel is null)
            return new NextSetting(keys, NextChoice.Kept, others, baseValues, replicates, $"kept as it was: {verdict.Text}");

        if (verdict.Sureness == Sureness.NotDistinguishable)
        {
            var more = Math.Min(MaxReplicates, replicates == 1 ? 3 : replicates * 2);
            var why = setting.BySeeds
                ? $"within seed noise, so swept again with {more} seeds (was {replicates}): {verdict.Text}"
                : $"not distinguishable, so swept again with {more} seeds to tell luck from effect: {verdict.Text}";
            return new NextSetting(keys, NextChoice.Replicated, others, baseValues, more, why);
        }

        var best = LevelValues(verdict.BestLevel, keys, plan, byLabel);
        var bestBase = keys.Select((key, i) => (key, best[i])).ToDictionary(pair => pair.key, pair => pair.Item2, StringComparer.Ordinal);
        var sureness = SweepAnalyzer.Word(verdict.Sureness);
        if (keys.Count == 1 && Numeric(keys[0], levels.Select(values => values[0]).ToList()) is { } numbers)
        {
            var key = keys[0];
            var bestNumber = Convert.ToDouble(best[0], CultureInfo.InvariantCulture);
            var (refined, note) = Refine(key, numbers, bestNumber);
            var refinedLevels = refined.Select(value => (IReadOnlyList<object?>)[Typed(key, value)]).Where(values => !Equals(values[0], bestBase[key])).ToList();
            return new NextSetting(keys, NextChoice.Refined, refinedLevels, bestBase, replicates,
                $"{SettingFormat.Format(best[0])} is best ({sureness}), refined {note}: {verdict.Text}");
        }

        return new NextSetting(keys, NextChoice.Decided, [], bestBase, replicates,
            $"decided ({sureness}): the base takes {string.Join(", ", best.Select(SettingFormat.Format))} and the setting is no longer swept: {verdict.Text}");
    }

    /// <summary>The settings the sweep varied whose every job was a duplicate: they changed nothing that is trained.</summary>
    static IEnumerable<NextSetting> InertSettings(SweepPlan plan, SweepAnalysis analysis)
    {
        var analysed = analysis.Settings.Select(setting => string.Join(" + ", setting.Keys)).ToHashSet(StringComparer.Ordinal);
        var groups = plan.Jobs.Where(job => job.Replicate == 1 && job.Diff.Count > 0)
            .GroupBy(job => string.Join(" + ", job.Diff.Keys.Order(StringComparer.Ordinal)), StringComparer.Ordinal);
        foreach (var group in groups)
        {
            if (analysed.Contains(group.Key) || group.Any(job => job.DuplicateOf is null)) continue;
            var first = group.First();
            var reasons = group.Select(job => job.DuplicateReason).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
            yield return new NextSetting(first.Diff.Keys.Order(StringComparer.Ordinal).ToList(), NextChoice.Dropped, [], new Dictionary<string, object?>(), 1,
                $"dropped: every level trained the same LoRA as another job ({string.Join("; ", group.Select(job => $"{job.Label} is a duplicate of {job.DuplicateOf}"))})"
                + (reasons.Count > 0 ? $": {string.Join("; ", reasons)}" : ""));
        }
    }

    /// <summary>
    /// Three levels around the best: the midpoints between it and each neighbour (geometric on a log scale), or, with the
    /// best at an end, one step beyond it (its ratio or difference to its neighbour); integers rounded, the catalog's range kept.
    /// </summary>
    public static (IReadOnlyList<double> Levels, string Note) Refine(string key, IReadOnlyList<double> levels, double best)
    {
        var sorted = levels.Distinct().Order().ToList();
        var index = sorted.IndexOf(best);
        var log = sorted.All(value => value > 0) && (LogScaled.Contains(key) || sorted[^1] / sorted[0] >= 4);
        double Mid(double a, double b) => log ? Math.Sqrt(a * b) : (a + b) / 2;
        double Beyond(double edge, double neighbour) => log ? edge * edge / neighbour : 2 * edge - neighbour;
        var scale = log ? "on a log scale" : "on a linear scale";
        List<double> result;
        string note;
        if (sorted.Count < 2 || index < 0)
        {
            result = [best];
            note = "(no neighbour to refine towards)";
        }
        else if (index == 0)
        {
            result = [Beyond(best, sorted[1]), best, Mid(best, sorted[1])];
            note = $"{scale}: it is the lowest level tried, so the next sweep also tries one step below it";
        }
        else if (index == sorted.Count - 1)
        {
            result = [Mid(sorted[^2], best), best, Beyond(best, sorted[^2])];
            note = $"{scale}: it is the highest level tried, so the next sweep also tries one step above it";
        }
        else
        {
            result = [Mid(sorted[index - 1], best), best, Mid(best, sorted[index + 1])];
            note = $"{scale} between its neighbours {SettingFormat.Format(sorted[index - 1])} and {SettingFormat.Format(sorted[index + 1])}";
        }

        var definition = SettingsCatalog.Get(key);
        var rounded = result.Select(value => definition.Type == SettingType.Integer ? Math.Round(value) : RoundSignificant(value))
            .Where(value => (definition.Min is not { } min || value >= min) && (definition.Max is not { } max || value <= max)
                            && (definition.Type != SettingType.Integer || value >= 1 || definition.Min is <= 0))
            .Distinct().Order().ToList();
        return (rounded, note);
    }

    /// <summary>Three significant digits: 3.16e-4, not 3.1622776601683794e-4.</summary>
    static double RoundSignificant(double value)
    {
        if (value == 0 || !double.IsFinite(value)) return value;
        var digits = 2 - (int)Math.Floor(Math.Log10(Math.Abs(value)));
        return digits is >= 0 and <= 15 ? Math.Round(value, digits) : double.Parse(value.ToString("G3", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

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
