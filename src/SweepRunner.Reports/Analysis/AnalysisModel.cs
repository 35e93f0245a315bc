using SweepRunner.Core.Results;
using SweepRunner.Core.Scoring;

namespace SweepRunner.Reports.Analysis;

/// <summary>
/// One job as the analysis sees it. <see cref="Diff"/> holds the settings that differ from the sweep's base
/// (empty for the baseline), <see cref="Settings"/> all effective settings, both as display text.
/// <see cref="Scores"/> are the individual scores that count for the job (possibly none).
/// </summary>
public sealed record AnalysisJob(
    string Label,
    string JobId,
    IReadOnlyDictionary<string, string> Diff,
    IReadOnlyDictionary<string, string> Settings,
    JobState State,
    long TotalSteps,
    double? TrainSeconds,
    IReadOnlyList<double> Scores)
{
    public bool IsBaseline => Diff.Count == 0;

    public SampleSummary ScoreSummary { get; } = SampleSummary.Of(Scores);

    /// <summary>The loss of the job's last logged step; null without one.</summary>
    public double? FinalLoss { get; init; }

    /// <summary>The label of the first of the job's seed replicates; null when the sweep trains it with one seed.</summary>
    public string? ReplicateGroup { get; init; }

    /// <summary>The job's automatic scores per metric and model; empty without any.</summary>
    public IReadOnlyList<JobAutoScore> AutoScores { get; init; } = [];

    /// <summary>Each scorer's mean of the job's counted scores.</summary>
    public IReadOnlyDictionary<string, double> ScorerMeans { get; init; } = new Dictionary<string, double>();
}

/// <summary>One automatic score source of a sweep: a metric computed by one model (named by its file hash).</summary>
/// <param name="Name">What the report calls it: the metric, with the model's short hash when the sweep has several models for it.</param>
public sealed record AutoScoreSource(AutoMetric Metric, string ModelSha256, string Name)
{
    public JobAutoScore? Of(AnalysisJob job) => job.AutoScores.FirstOrDefault(score => score.Metric == Metric && score.ModelSha256 == ModelSha256);
}

/// <summary>A setting's verdict by one automatic score.</summary>
public sealed record AutoVerdict(AutoScoreSource Source, SettingVerdict Verdict);

/// <summary>How well an automatic score ranks the jobs as people do: Spearman's ρ over jobs with both, per scorer and pooled (Scorer null).</summary>
public sealed record MetricAgreement(AutoScoreSource Source, string? Scorer, int Jobs, RankCorrelation? Correlation);

/// <summary>How the jobs were laid out.</summary>
public enum DesignKind
{
    /// <summary>Jobs grouped by the set of settings they change from the base; the baseline is every group's reference.</summary>
    OneFactorAtATime,

    /// <summary>Every combination of the varied settings' values is present: each setting's levels pool all jobs (marginal means).</summary>
    FullGrid,
}

/// <summary>How sure a verdict is, from the difference of the best level and the reference in standard errors.</summary>
public enum Sureness
{
    /// <summary>No scores, or too few to tell.</summary>
    InsufficientData,

    /// <summary>Under 2 standard errors.</summary>
    NotDistinguishable,

    /// <summary>2 to 3 standard errors.</summary>
    Likely,

    /// <summary>3 standard errors or more.</summary>
    Clear,
}

/// <summary>One value (or set of values) of a varied setting and the jobs that have it.</summary>
public sealed record LevelAnalysis(
    string Value,
    bool IsBaseline,
    IReadOnlyList<AnalysisJob> Jobs,
    IReadOnlyList<double> Scores,
    SampleSummary Score,
    double? MeanTrainSeconds)
{
    /// <summary>A level needs at least 2 scores for a mean with a standard error.</summary>
    public bool HasEnoughScores => Score.N >= 2;

    /// <summary>One observation per seed replicate: each scored job's mean score. The spread of these is the seed-to-seed noise.</summary>
    public SampleSummary SeedScores { get; init; } = SampleSummary.Empty;

    /// <summary>One observation per seed replicate: each job's final loss.</summary>
    public SampleSummary SeedLoss { get; init; } = SampleSummary.Empty;
}

/// <summary>The verdict on one setting.</summary>
/// <param name="BestLevel">The level with the highest mean score among levels with enough scores; null without one.</param>
/// <param name="VersusReference">Best level minus the reference (the baseline, else the runner-up), Welch-style.</param>
public sealed record SettingVerdict(string Text, Sureness Sureness, LevelAnalysis? BestLevel, LevelAnalysis? Reference, MeanDifference? VersusReference);

/// <summary>A varied setting: its levels in order, the spread of their mean scores, η² for full grids, and a verdict.</summary>
/// <param name="Keys">The sd-scripts keys that vary together (one, or several for paired settings).</param>
/// <param name="Spread">Highest minus lowest mean score over levels with enough scores; null with fewer than 2 such levels.</param>
/// <param name="EtaSquared">Between-level over total sum of squares of the individual scores; only for full grids.</param>
public sealed record SettingAnalysis(
    string Name,
    IReadOnlyList<string> Keys,
    IReadOnlyList<LevelAnalysis> Levels,
    double? Spread,
    double? EtaSquared,
    SettingVerdict Verdict)
{
    /// <summary>
    /// True when the setting's levels hold seed replicates: then the verdict compares the levels' per-seed means, so a
    /// difference counts only when it stands out from the spread between seeds.
    /// </summary>
    public bool BySeeds { get; init; }

    /// <summary>With seed replicates, the final loss of the levels against the spread between seeds; null without replicates.</summary>
    public string? LossVerdict { get; init; }

    /// <summary>The verdict by each automatic score the sweep has, computed like the human one.</summary>
    public IReadOnlyList<AutoVerdict> AutoVerdicts { get; init; } = [];

    public bool HasEnoughData => Levels.Count(level => level.HasEnoughScores) >= 2;

    public LevelAnalysis? Baseline => Levels.FirstOrDefault(level => level.IsBaseline);
}

/// <summary>A job with both a mean score and a training time, for rankings and the Pareto front.</summary>
public sealed record ScoredJob(AnalysisJob Job, double MeanScore, double TrainSeconds)
{
    /// <summary>Mean score per hour of training time; null when no time was measured.</summary>
    public double? ScorePerTrainingHour => TrainSeconds > 0 ? MeanScore / (TrainSeconds / 3600) : null;
}

/// <summary>A recommended value for a setting and how sure the recommendation is.</summary>
public sealed record Recommendation(string Setting, string Value, bool KeepsBaseline, Sureness Sureness, string Reason);

/// <summary>Everything the report says about a sweep's jobs.</summary>
/// <param name="SecondsPerStep">Train seconds against total steps over succeeded jobs; null with fewer than 2 distinct step counts.</param>
/// <param name="ParetoFront">Jobs no other job beats on both score (higher) and training time (lower), fastest first.</param>
public sealed record SweepAnalysis(
    DesignKind Design,
    IReadOnlyList<AnalysisJob> Jobs,
    IReadOnlyList<SettingAnalysis> Settings,
    LinearFit? SecondsPerStep,
    IReadOnlyList<ScoredJob> ScoredJobs,
    IReadOnlyList<ScoredJob> ParetoFront,
    IReadOnlyList<AnalysisJob> BestByScore,
    IReadOnlyList<ScoredJob> BestByScorePerTrainingHour,
    IReadOnlyList<Recommendation> Recommendations)
{
    /// <summary>The automatic score sources of the sweep's jobs.</summary>
    public IReadOnlyList<AutoScoreSource> AutoSources { get; init; } = [];

    /// <summary>Per automatic score source, its agreement with the human scores, pooled first, then per scorer.</summary>
    public IReadOnlyList<MetricAgreement> Agreements { get; init; } = [];

    public bool HasScores => Jobs.Any(job => job.Scores.Count > 0);
}
