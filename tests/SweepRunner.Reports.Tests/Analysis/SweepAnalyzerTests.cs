using SweepRunner.Reports.Analysis;
using SweepRunner.Core.Results;
using static SweepRunner.Reports.Tests.Analysis.Jobs;

namespace SweepRunner.Reports.Tests.Analysis;

public sealed class SweepAnalyzerTests
{
    [Fact]
    public void A_full_grid_gets_marginal_levels_spread_and_eta_squared_computed_by_hand()
    {
        var analysis = SweepAnalyzer.Analyze(
        [
            Job("a1-ada", "", [90, 80]),
            Job("a1-lion", "optimizer_type=Lion", [70, 80]),
            Job("a64-ada", "network_alpha=64", [60, 50]),
            Job("a64-lion", "network_alpha=64, optimizer_type=Lion", [0, 10]),
        ]);

        Assert.Equal(DesignKind.FullGrid, analysis.Design);
        var alpha = analysis.Settings.Single(setting => setting.Name == "network_alpha");
        var optimizer = analysis.Settings.Single(setting => setting.Name == "optimizer_type");
        // Grand mean 55; SStot = 35² + 25² + 15² + 25² + 5² + 5² + 55² + 45² = 7800.
        // alpha: means 80 and 30 over 4 scores each: SSbetween = 8 × 25² = 5000.
        Assert.Equal(["1", "64"], alpha.Levels.Select(level => level.Value));
        Assert.Equal([80.0, 30.0], alpha.Levels.Select(level => level.Score.Mean!.Value));
        Assert.Equal(50, alpha.Spread!.Value, 12);
        Assert.Equal(5000.0 / 7800, alpha.EtaSquared!.Value, 12);
        // optimizer: means 70 and 40: SSbetween = 8 × 15² = 1800.
        Assert.Equal(["Adafactor", "Lion"], optimizer.Levels.Select(level => level.Value));
        Assert.True(optimizer.Levels[0].IsBaseline);
        Assert.Equal(30, optimizer.Spread!.Value, 12);
        Assert.Equal(1800.0 / 7800, optimizer.EtaSquared!.Value, 12);
    }

    [Fact]
    public void One_factor_settings_compare_each_level_with_the_baseline_and_recommend()
    {
        var analysis = SweepAnalyzer.Analyze(
        [
            Job("3", "", [90, 88, 92], steps: 9000, seconds: 2700),
            Job("5", "network_alpha=64", [60, 55, 65], steps: 9000, seconds: 2750),
            Job("6", "network_alpha=16", [60, 62, 58], steps: 9000, seconds: 2650),
            Job("7", "train_batch_size=2", [93, 95], steps: 4500, seconds: 1500),
            Job("23", "learning_rate=1e-3", [80], steps: 9000, seconds: 2700),
            Job("4", "clip_skip=2", []),
        ]);

        Assert.Equal(DesignKind.OneFactorAtATime, analysis.Design);
        Assert.Equal(["network_alpha", "train_batch_size", "learning_rate", "clip_skip"], analysis.Settings.Select(setting => setting.Name));

        var alpha = analysis.Settings[0];
        Assert.Equal(["1", "16", "64"], alpha.Levels.Select(level => level.Value));
        Assert.Equal([true, false, false], alpha.Levels.Select(level => level.IsBaseline));
        Assert.Null(alpha.EtaSquared);
        Assert.Equal(30, alpha.Spread!.Value, 12);
        Assert.Equal(Sureness.Clear, alpha.Verdict.Sureness);
        Assert.StartsWith("the baseline (1) scores highest", alpha.Verdict.Text);
        Assert.Contains("worst: 64 (60.0 ± 2.9), 30.0 points below the baseline", alpha.Verdict.Text);

        var batch = analysis.Settings[1];
        Assert.Equal(Sureness.Likely, batch.Verdict.Sureness);
        Assert.StartsWith("2 beats the baseline 1 by 4.0 points", batch.Verdict.Text);
        Assert.Equal(4 / Math.Sqrt(1 + 4.0 / 3), batch.Verdict.VersusReference!.StandardErrors!.Value, 12);

        Assert.Equal(Sureness.InsufficientData, analysis.Settings[2].Verdict.Sureness);
        Assert.Contains("insufficient data", analysis.Settings[2].Verdict.Text);
        Assert.Contains("1e-3: 1 score", analysis.Settings[2].Verdict.Text);
        Assert.False(analysis.Settings[2].HasEnoughData);
        Assert.Null(analysis.Settings[2].Spread);
        Assert.Contains("2: 0 scores", analysis.Settings[3].Verdict.Text);

        Assert.Equal(
            [("network_alpha", "1", true, Sureness.Clear), ("train_batch_size", "2", false, Sureness.Likely)],
            analysis.Recommendations.Select(r => (r.Setting, r.Value, r.KeepsBaseline, r.Sureness)));
        Assert.Equal(["7", "3", "23", "6", "5"], analysis.BestByScore.Select(job => job.Label));
        Assert.Equal("7", analysis.BestByScorePerTrainingHour[0].Job.Label);
        Assert.Equal(94 / (1500.0 / 3600), analysis.BestByScorePerTrainingHour[0].ScorePerTrainingHour!.Value, 9);
    }

    [Fact]
    public void A_level_within_two_standard_errors_is_not_distinguishable_from_the_baseline()
    {
        var analysis = SweepAnalyzer.Analyze([Job("base", "", [80, 90]), Job("b4", "train_batch_size=4", [84, 92])]);

        var verdict = analysis.Settings.Single().Verdict;
        Assert.Equal(Sureness.NotDistinguishable, verdict.Sureness);
        Assert.StartsWith("not distinguishable from baseline", verdict.Text);
        Assert.Equal([("train_batch_size", "1", true, Sureness.NotDistinguishable)], analysis.Recommendations.Select(r => (r.Setting, r.Value, r.KeepsBaseline, r.Sureness)));
    }

    [Fact]
    public void Without_any_score_everything_degrades_to_no_scores_yet()
    {
        var analysis = SweepAnalyzer.Analyze(
        [
            Job("base", "", [], steps: 1000, seconds: 110),
            Job("a64", "network_alpha=64", [], steps: 2000, seconds: 210),
            Job("lion", "optimizer_type=Lion", [], steps: 2000, seconds: null, state: JobState.Diverged),
        ]);

        Assert.False(analysis.HasScores);
        Assert.All(analysis.Settings, setting => Assert.Equal(("no scores yet", Sureness.InsufficientData), (setting.Verdict.Text, setting.Verdict.Sureness)));
        Assert.Empty(analysis.Recommendations);
        Assert.Empty(analysis.ScoredJobs);
        Assert.Empty(analysis.ParetoFront);
        Assert.Empty(analysis.BestByScore);
        Assert.Equal(0.1, analysis.SecondsPerStep!.Slope, 12);
        Assert.Equal(10, analysis.SecondsPerStep.Intercept, 9);
    }

    [Fact]
    public void Seconds_per_step_fit_uses_succeeded_jobs_only()
    {
        var analysis = SweepAnalyzer.Analyze(
        [
            Job("base", "", [], steps: 1000, seconds: 100),
            Job("long", "max_train_epochs=20", [], steps: 3000, seconds: 300),
            Job("broken", "optimizer_type=Lion", [], steps: 3000, seconds: 5, state: JobState.Diverged),
        ]);

        Assert.Equal((0.1, 2), (Math.Round(analysis.SecondsPerStep!.Slope, 12), analysis.SecondsPerStep.N));
    }

    [Fact]
    public void Pareto_front_keeps_jobs_no_other_job_beats_on_both_score_and_time()
    {
        static ScoredJob Scored(string label, double seconds, double score) => new(Job(label, "", [score], seconds: seconds), score, seconds);

        var front = SweepAnalyzer.ParetoFront(
        [
            Scored("A", 100, 50), Scored("B", 200, 80), Scored("C", 150, 40),
            Scored("D", 300, 80), Scored("E", 50, 10), Scored("F", 200, 70),
        ]);

        Assert.Equal(["E", "A", "B"], front.Select(job => job.Job.Label));
    }

    [Fact]
    public void A_sweep_that_misses_a_combination_is_not_a_full_grid()
    {
        var analysis = SweepAnalyzer.Analyze(
        [
            Job("base", "", [1, 2]),
            Job("lion", "optimizer_type=Lion", [1, 2]),
            Job("a64", "network_alpha=64", [1, 2]),
        ]);

        Assert.Equal(DesignKind.OneFactorAtATime, analysis.Design);
        Assert.All(analysis.Settings, setting => Assert.Null(setting.EtaSquared));
    }
}
