using System.Globalization;
using SweepRunner.Core.Results;
using SweepRunner.Core.Scoring;

namespace SweepRunner.Reports.Analysis;

/// <summary>
/// Groups a sweep's jobs by the settings they vary and compares the levels' scores and training times. Pure:
/// the same jobs always give the same analysis, and jobs without scores or times are carried along, not dropped.
/// </summary>
public static class SweepAnalyzer
{
    /// <summary>Differences of at least this many standard errors count as real.</summary>
    public const double DistinguishableStandardErrors = 2;

    /// <summary>Differences of at least this many standard errors count as clear.</summary>
    public const double ClearStandardErrors = 3;

    /// <param name="jobs">The sweep's distinct jobs in plan order (labels that duplicate another left out).</param>
    public static SweepAnalysis Analyze(IReadOnlyList<AnalysisJob> jobs)
    {
        var baselines = jobs.Where(job => job.IsBaseline).ToList();
        var baseline = baselines.FirstOrDefault();
        var keys = jobs.SelectMany(job => job.Diff.Keys).Distinct(StringComparer.Ordinal).ToList();
        var design = IsFullGrid(jobs, keys) ? DesignKind.FullGrid : DesignKind.OneFactorAtATime;
        var sources = AutoSourcesOf(jobs);
        var settings = (design == DesignKind.FullGrid
            ? keys.Select(key => GridSetting(jobs, key, baseline)).ToList()
            : OneFactorSettings(jobs, baselines))
            .Select(setting => sources.Count == 0 ? setting : setting with { AutoVerdicts = sources.Select(source => AutoVerdictOf(setting, source)).ToList() })
            .ToList();

        var scored = jobs
            .Where(job => job.ScoreSummary.Mean is not null && job.TrainSeconds is > 0)
            .Select(job => new ScoredJob(job, job.ScoreSummary.Mean!.Value, job.TrainSeconds!.Value))
            .ToList();
        var timed = jobs
            .Where(job => job.State == JobState.Succeeded && job.TrainSeconds is not null)
            .Select(job => ((double)job.TotalSteps, job.TrainSeconds!.Value))
            .ToList();

        return new SweepAnalysis(
            design,
            jobs,
            settings,
            LinearFit.Of(timed),
            scored,
            ParetoFront(scored),
            jobs.Where(job => job.ScoreSummary.Mean is not null)
                .OrderByDescending(job => job.ScoreSummary.Mean)
                .ThenBy(job => job.TrainSeconds ?? double.MaxValue)
                .ToList(),
            scored.Where(job => job.ScorePerTrainingHour is not null).OrderByDescending(job => job.ScorePerTrainingHour).ToList(),
            settings.SelectMany(Recommend).ToList())
        {
            AutoSources = sources,
            Agreements = sources.SelectMany(source => Agreements(jobs, source)).ToList(),
        };
    }

    /// <summary>Every (metric, model) the jobs have scores of, by metric; a metric scored by several models names each by its short hash.</summary>
    private static IReadOnlyList<AutoScoreSource> AutoSourcesOf(IReadOnlyList<AnalysisJob> jobs)
    {
        var pairs = jobs.SelectMany(job => job.AutoScores).Select(score => (score.Metric, score.ModelSha256)).Distinct().OrderBy(pair => pair.Metric)
            .ThenBy(pair => pair.ModelSha256, StringComparer.Ordinal).ToList();
        return pairs.Select(pair => new AutoScoreSource(pair.Metric, pair.ModelSha256,
            pairs.Count(other => other.Metric == pair.Metric) > 1 ? $"{pair.Metric.DisplayName()} ({pair.ModelSha256[..8]})" : pair.Metric.DisplayName())).ToList();
    }

    /// <summary>
    /// The setting's verdict by an automatic score: its preview values pooled per level (higher is better), or with seed
    /// replicates each job's mean as one observation, against the spread between seeds.
    /// </summary>
    private static AutoVerdict AutoVerdictOf(SettingAnalysis setting, AutoScoreSource source)
    {
        SampleSummary Measure(LevelAnalysis level) => setting.BySeeds
            ? SampleSummary.Of(level.Jobs.Select(source.Of).OfType<JobAutoScore>().Select(score => score.Mean))
            : SampleSummary.Of(level.Jobs.Select(source.Of).OfType<JobAutoScore>().SelectMany(score => score.Values));
        return new AutoVerdict(source, MeasureVerdict(setting.Name, setting.Levels, Measure, source.Name, higherIsBetter: true, bySeeds: setting.BySeeds,
            setting.BySeeds ? "seed" : "preview"));
    }

    /// <summary>Spearman's ρ between the automatic score and the human scores over jobs that have both: pooled (the job's score), then per scorer.</summary>
    private static IEnumerable<MetricAgreement> Agreements(IReadOnlyList<AnalysisJob> jobs, AutoScoreSource source)
    {
        var pooled = jobs.Where(job => job.ScoreSummary.Mean is not null && source.Of(job) is not null)
            .Select(job => (source.Of(job)!.Mean, job.ScoreSummary.Mean!.Value)).ToList();
        yield return new MetricAgreement(source, null, pooled.Count, RankCorrelation.Of(pooled));
        foreach (var scorer in jobs.SelectMany(job => job.ScorerMeans.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var pairs = jobs.Where(job => job.ScorerMeans.ContainsKey(scorer) && source.Of(job) is not null)
                .Select(job => (source.Of(job)!.Mean, job.ScorerMeans[scorer])).ToList();
            yield return new MetricAgreement(source, scorer, pairs.Count, RankCorrelation.Of(pairs));
        }
    }

    /// <summary>Jobs that no other job beats on both counts: a higher score for no more time, or less time for no lower score.</summary>
    public static IReadOnlyList<ScoredJob> ParetoFront(IEnumerable<ScoredJob> jobs)
    {
        var front = new List<ScoredJob>();
        var best = double.NegativeInfinity;
        foreach (var job in jobs.OrderBy(job => job.TrainSeconds).ThenByDescending(job => job.MeanScore))
        {
            if (job.MeanScore > best)
            {
                front.Add(job);
                best = job.MeanScore;
            }
        }

        return front;
    }

    /// <summary>True when every combination of the varied settings' values appears (at least 2 settings).</summary>
    public static bool IsFullGrid(IReadOnlyList<AnalysisJob> jobs, IReadOnlyList<string> keys)
    {
        if (keys.Count < 2 || jobs.Count == 0)
        {
            return false;
        }

        var combinations = keys.Aggregate(1L, (product, key) => product * jobs.Select(job => ValueOf(job, key)).Distinct(StringComparer.Ordinal).Count());
        var present = jobs.Select(job => string.Join("\u001f", keys.Select(key => ValueOf(job, key)))).Distinct(StringComparer.Ordinal).Count();
        return present == combinations;
    }

    private static string ValueOf(AnalysisJob job, string key) =>
        job.Diff.TryGetValue(key, out var value) || job.Settings.TryGetValue(key, out value) ? value : "";

    /// <param name="baselines">The baseline job and its seed replicates.</param>
    private static List<SettingAnalysis> OneFactorSettings(IReadOnlyList<AnalysisJob> jobs, IReadOnlyList<AnalysisJob> baselines)
    {
        var baseline = baselines.Count > 0 ? baselines[0] : null;
        var groups = jobs
            .Where(job => !job.IsBaseline)
            .GroupBy(job => string.Join(" + ", job.Diff.Keys.OrderBy(key => key, StringComparer.Ordinal)), StringComparer.Ordinal);
        var settings = new List<SettingAnalysis>();
        foreach (var group in groups)
        {
            var keys = group.First().Diff.Keys.OrderBy(key => key, StringComparer.Ordinal).ToList();
            var levels = group
                .GroupBy(job => string.Join(", ", keys.Select(key => job.Diff[key])), StringComparer.Ordinal)
                .Select(level => Level(level.Key, isBaseline: false, level.ToList()))
                .ToList();
            if (baseline is not null)
            {
                levels.Insert(0, Level(string.Join(", ", keys.Select(key => ValueOf(baseline, key))), isBaseline: true, baselines));
            }

            settings.Add(Setting(group.Key, keys, OrderLevels(levels), etaSquared: false));
        }

        return settings;
    }

    private static SettingAnalysis GridSetting(IReadOnlyList<AnalysisJob> jobs, string key, AnalysisJob? baseline)
    {
        var baselineValue = baseline is null ? null : ValueOf(baseline, key);
        var levels = jobs
            .GroupBy(job => ValueOf(job, key), StringComparer.Ordinal)
            .Select(level => Level(level.Key, level.Key == baselineValue, level.ToList()))
            .ToList();
        return Setting(key, [key], OrderLevels(levels), etaSquared: true);
    }

    private static LevelAnalysis Level(string value, bool isBaseline, IReadOnlyList<AnalysisJob> jobs)
    {
        var scores = jobs.SelectMany(job => job.Scores).ToList();
        var times = jobs.Where(job => job.State == JobState.Succeeded && job.TrainSeconds is not null).Select(job => job.TrainSeconds!.Value).ToList();
        return new LevelAnalysis(value, isBaseline, jobs, scores, SampleSummary.Of(scores), times.Count == 0 ? null : times.Average())
        {
            SeedScores = SampleSummary.Of(jobs.Where(job => job.ScoreSummary.Mean is not null).Select(job => job.ScoreSummary.Mean!.Value)),
            SeedLoss = SampleSummary.Of(jobs.Where(job => job.FinalLoss is not null).Select(job => job.FinalLoss!.Value)),
        };
    }

    /// <summary>Numeric levels in numeric order; any other levels keep plan order with the baseline first.</summary>
    private static List<LevelAnalysis> OrderLevels(List<LevelAnalysis> levels)
    {
        var numbers = levels.Select(level => double.TryParse(level.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : (double?)null).ToList();
        if (numbers.All(number => number is not null))
        {
            return levels.Zip(numbers).OrderBy(pair => pair.Second).Select(pair => pair.First).ToList();
        }

        return levels.OrderByDescending(level => level.IsBaseline).ToList();
    }

    private static SettingAnalysis Setting(string name, IReadOnlyList<string> keys, IReadOnlyList<LevelAnalysis> levels, bool etaSquared)
    {
        var enough = levels.Where(level => level.HasEnoughScores).ToList();
        double? spread = enough.Count >= 2 ? enough.Max(level => level.Score.Mean!.Value) - enough.Min(level => level.Score.Mean!.Value) : null;
        // With seed replicates the unit of evidence is a seed, not a preview: a level's scores from one seed share its luck.
        var bySeeds = levels.Any(level => level.Jobs.Any(job => job.ReplicateGroup is not null));
        var verdict = bySeeds ? SeedVerdict(name, levels, level => level.SeedScores, "scores", higherIsBetter: true) : Verdict(name, levels);
        return new SettingAnalysis(name, keys, levels, spread, etaSquared && enough.Count >= 2 ? EtaSquared(levels) : null, verdict)
        {
            BySeeds = bySeeds,
            LossVerdict = bySeeds ? SeedVerdict(name, levels, level => level.SeedLoss, "final loss", higherIsBetter: false).Text : null,
        };
    }

    /// <summary>
    /// The verdict over seed replicates: the best level's per-seed mean (of <paramref name="measure"/>) against the
    /// baseline's (or the runner-up's), in standard errors of the seeds' spread. Under 2 SE the difference is
    /// "within seed noise": another seed could reverse it.
    /// </summary>
    private static SettingVerdict SeedVerdict(string name, IReadOnlyList<LevelAnalysis> levels, Func<LevelAnalysis, SampleSummary> measure, string what, bool higherIsBetter) =>
        MeasureVerdict(name, levels, measure, what, higherIsBetter, bySeeds: true, "seed");

    /// <param name="bySeeds">The observations are seeds: a gap under 2 SE is "within seed noise".</param>
    /// <param name="unit">What one observation is, for the insufficient-data text.</param>
    private static SettingVerdict MeasureVerdict(string name, IReadOnlyList<LevelAnalysis> levels, Func<LevelAnalysis, SampleSummary> measure, string what,
        bool higherIsBetter, bool bySeeds, string unit)
    {
        var enough = levels.Where(level => measure(level).N >= 2)
            .OrderBy(level => higherIsBetter ? -measure(level).Mean!.Value : measure(level).Mean!.Value).ToList();
        if (enough.Count < 2)
        {
            var short_ = levels.Select(level => $"{level.Value}: {Count(measure(level).N, unit)}");
            return new SettingVerdict($"{what}: insufficient data: comparing levels needs 2 or more levels with 2 or more {unit}s each ({string.Join("; ", short_)})",
                Sureness.InsufficientData, enough.FirstOrDefault(), null, null);
        }

        var best = enough[0];
        var reference = enough.FirstOrDefault(level => level.IsBaseline && level != best) ?? enough[1];
        var difference = MeanDifference.Between(measure(best), measure(reference))!;
        var sureness = SurenessOf(difference);
        var word = higherIsBetter ? "highest" : "lowest";
        var bestName = best.IsBaseline ? $"the baseline ({best.Value})" : $"{name} = {best.Value}";
        var versus = reference.IsBaseline ? $"the baseline {reference.Value}" : reference.Value;
        var text = bySeeds
            ? $"{what}: {bestName} is {word} ({SeedMean(measure(best))}) against {versus} ({SeedMean(measure(reference))}): "
              + (sureness == Sureness.NotDistinguishable
                  ? $"within seed noise ({Gap(difference)} of the spread between seeds)"
                  : $"a real effect, {Gap(difference)} beyond the spread between seeds ({Word(sureness)})")
            : $"{what}: {bestName} is {word} ({MeanOf(measure(best), unit)}) against {versus} ({MeanOf(measure(reference), unit)}): {Gap(difference)} ({Word(sureness)})";
        return new SettingVerdict(text, sureness, best, reference, difference);
    }

    /// <summary>"mean ± SE over n previews".</summary>
    private static string MeanOf(SampleSummary values, string unit) => values.Mean is not { } mean ? "no data"
        : values.StandardError is { } se ? F($"{mean:0.####} ± {se:0.####} over {values.N} {unit}s") : F($"{mean:0.####}, 1 {unit}");

    /// <summary>"mean ± SD over n seeds".</summary>
    public static string SeedMean(SampleSummary seeds) => seeds.Mean is not { } mean ? "no data"
        : seeds.StandardDeviation is { } sd ? F($"{mean:0.####} ± {sd:0.####} over {seeds.N} seeds") : F($"{mean:0.####}, 1 seed");

    /// <summary>η² = between-level sum of squares / total sum of squares over all individual scores; null when every score is equal.</summary>
    public static double? EtaSquared(IReadOnlyList<LevelAnalysis> levels)
    {
        var all = levels.SelectMany(level => level.Scores).ToList();
        if (all.Count < 2)
        {
            return null;
        }

        var grand = all.Average();
        var total = all.Sum(score => (score - grand) * (score - grand));
        if (total <= 0)
        {
            return null;
        }

        var between = levels.Where(level => level.Scores.Count > 0).Sum(level => level.Scores.Count * Math.Pow(level.Scores.Average() - grand, 2));
        return between / total;
    }

    private static SettingVerdict Verdict(string name, IReadOnlyList<LevelAnalysis> levels)
    {
        if (levels.All(level => level.Score.N == 0))
        {
            return new SettingVerdict("no scores yet", Sureness.InsufficientData, null, null, null);
        }

        var enough = levels.Where(level => level.HasEnoughScores).OrderByDescending(level => level.Score.Mean).ToList();
        if (enough.Count < 2)
        {
            var short_ = levels.Where(level => !level.HasEnoughScores).Select(level => $"{level.Value}: {Count(level.Score.N, "score")}");
            return new SettingVerdict(
                $"insufficient data: a verdict needs 2 or more levels with 2 or more scores each ({string.Join("; ", short_)})",
                Sureness.InsufficientData, enough.FirstOrDefault(), null, null);
        }

        var best = enough[0];
        var baseline = enough.FirstOrDefault(level => level.IsBaseline);
        string text;
        LevelAnalysis reference;
        MeanDifference difference;
        Sureness sureness;
        if (baseline is null || best == baseline)
        {
            reference = enough[1];
            difference = MeanDifference.Between(best.Score, reference.Score)!;
            sureness = SurenessOf(difference);
            var who = best == baseline ? $"the baseline ({best.Value})" : $"{name} = {best.Value}";
            text = sureness == Sureness.NotDistinguishable
                ? $"{who} scores highest ({Mean(best)}), but not distinguishable from {reference.Value} ({Mean(reference)}, {Gap(difference)})"
                : $"{who} scores highest ({Mean(best)}), {Points(difference.Difference)} above {reference.Value} ({Gap(difference)}; {Word(sureness)})";
        }
        else
        {
            reference = baseline;
            difference = MeanDifference.Between(best.Score, baseline.Score)!;
            sureness = SurenessOf(difference);
            text = sureness == Sureness.NotDistinguishable
                ? $"not distinguishable from baseline: best {best.Value} ({Mean(best)}) vs baseline {baseline.Value} ({Mean(baseline)}, {Gap(difference)})"
                : $"{best.Value} beats the baseline {baseline.Value} by {Points(difference.Difference)} ({Mean(best)} vs {Mean(baseline)}; {Gap(difference)}; {Word(sureness)})";
        }

        if (baseline is not null)
        {
            var worst = enough[^1];
            var drop = MeanDifference.Between(worst.Score, baseline.Score)!;
            if (worst != baseline && drop.Difference < 0 && drop.StandardErrors >= DistinguishableStandardErrors)
            {
                text += $"; worst: {worst.Value} ({Mean(worst)}), {Points(-drop.Difference)} below the baseline ({Gap(drop)})";
            }
        }

        return new SettingVerdict(text, sureness, best, reference, difference);
    }

    private static IEnumerable<Recommendation> Recommend(SettingAnalysis setting)
    {
        var verdict = setting.Verdict;
        if (verdict.Sureness == Sureness.InsufficientData || verdict.BestLevel is not { } best)
        {
            yield break;
        }

        var baseline = setting.Baseline;
        if (best.IsBaseline || (baseline is not null && verdict.Sureness == Sureness.NotDistinguishable))
        {
            var value = baseline!.Value;
            var reason = best.IsBaseline
                ? $"the baseline scores highest ({Gap(verdict.VersusReference!)} ahead of {verdict.Reference!.Value})"
                : $"no level is distinguishable from the baseline (best {best.Value}: {Gap(verdict.VersusReference!)})";
            yield return new Recommendation(setting.Name, value, KeepsBaseline: true, best.IsBaseline ? verdict.Sureness : Sureness.NotDistinguishable, reason);
        }
        else
        {
            var versus = verdict.Reference!.IsBaseline ? "the baseline" : verdict.Reference.Value;
            yield return new Recommendation(
                setting.Name, best.Value, KeepsBaseline: false, verdict.Sureness,
                $"{Points(verdict.VersusReference!.Difference)} above {versus} ({Gap(verdict.VersusReference)})");
        }
    }

    public static Sureness SurenessOf(MeanDifference difference) => difference.StandardErrors switch
    {
        null => Sureness.InsufficientData,
        < DistinguishableStandardErrors => Sureness.NotDistinguishable,
        < ClearStandardErrors => Sureness.Likely,
        _ => Sureness.Clear,
    };

    public static string Word(Sureness sureness) => sureness switch
    {
        Sureness.InsufficientData => "insufficient data",
        Sureness.NotDistinguishable => "not distinguishable",
        Sureness.Likely => "likely",
        Sureness.Clear => "clear",
        _ => sureness.ToString(),
    };

    public static string Mean(LevelAnalysis level) => level.Score.Mean is { } mean
        ? level.Score.StandardError is { } se ? F($"{mean:0.0} ± {se:0.0}") : F($"{mean:0.0}")
        : "no scores";

    private static string Gap(MeanDifference difference) => difference.StandardErrors switch
    {
        null => "no standard error",
        double.PositiveInfinity => "every score identical within each level",
        var k => F($"{k:0.0} SE"),
    };

    private static string Points(double difference) => F($"{Math.Abs(difference):0.0} points");

    private static string Count(int n, string noun) => F($"{n} {noun}{(n == 1 ? "" : "s")}");

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
