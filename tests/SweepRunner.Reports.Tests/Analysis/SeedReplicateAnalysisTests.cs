using SweepRunner.Reports.Analysis;

namespace SweepRunner.Reports.Tests.Analysis;

/// <summary>With seed replicates a verdict weighs a setting's effect against the spread between seeds, not between previews.</summary>
public class SeedReplicateAnalysisTests
{
    /// <summary>Three seeds of the baseline and of alpha=64; each seed's previews score <paramref name="seedMeans"/> ± 1.</summary>
    static IReadOnlyList<AnalysisJob> Sweep(double[] baselineMeans, double[] alphaMeans, double[] baselineLoss, double[] alphaLoss)
    {
        var jobs = new List<AnalysisJob>();
        void Add(string group, string diff, double[] means, double[] losses)
        {
            for (var k = 0; k < means.Length; k++)
                jobs.Add(Jobs.Job(k == 0 ? group : $"{group}-r{k + 1}", diff, [means[k] - 1, means[k] + 1, means[k] - 1, means[k] + 1])
                    with { ReplicateGroup = group, FinalLoss = losses[k] });
        }
        Add("base", "", baselineMeans, baselineLoss);
        Add("a64", "network_alpha=64", alphaMeans, alphaLoss);
        return jobs;
    }

    [Fact]
    public void ADifferenceSmallerThanTheSpreadBetweenSeedsIsWithinSeedNoise()
    {
        // 90 vs 80 on average, but the seeds of each level scatter from 60 to 100: another seed could reverse it.
        // Counted per preview (12 scores a level, ± 1 within a seed) it would look certain.
        var setting = Assert.Single(SweepAnalyzer.Analyze(Sweep([60, 80, 100], [70, 90, 110], [0.10, 0.11, 0.12], [0.10, 0.12, 0.11])).Settings);

        Assert.True(setting.BySeeds);
        Assert.Equal(Sureness.NotDistinguishable, setting.Verdict.Sureness);
        Assert.StartsWith("scores: network_alpha = 64 is highest (90 ± 20 over 3 seeds) against the baseline 1 (80 ± 20 over 3 seeds): within seed noise", setting.Verdict.Text);
        Assert.Equal((3, 3), (setting.Levels[0].SeedScores.N, setting.Levels[1].SeedScores.N));
        Assert.Equal(12, setting.Levels[0].Score.N);
        Assert.Contains("final loss", setting.LossVerdict);
        Assert.Contains("within seed noise", setting.LossVerdict);
    }

    [Fact]
    public void ADifferenceBeyondTheSpreadBetweenSeedsIsARealEffect()
    {
        var setting = Assert.Single(SweepAnalyzer.Analyze(Sweep([79, 80, 81], [89, 90, 91], [0.20, 0.21, 0.19], [0.10, 0.11, 0.09])).Settings);

        Assert.NotEqual(Sureness.NotDistinguishable, setting.Verdict.Sureness);
        Assert.Contains("a real effect", setting.Verdict.Text);
        Assert.StartsWith("final loss: network_alpha = 64 is lowest (0.1 ± 0.01 over 3 seeds) against the baseline 1 (0.2 ± 0.01 over 3 seeds): a real effect", setting.LossVerdict);
    }

    [Fact]
    public void AnAutomaticScoreIsWeighedAgainstTheSpreadBetweenSeedsToo()
    {
        // CLIP-I: alpha 64 ahead by 0.02 on average, seeds scattering by 0.1; within a seed the previews agree to ± 0.001.
        var model = new string('c', 64);
        double[] baseline = [0.70, 0.80, 0.90], alpha = [0.72, 0.82, 0.92];
        var jobs = Sweep([80, 80, 80], [80, 80, 80], [0.1, 0.1, 0.1], [0.1, 0.1, 0.1]).Select(job =>
        {
            var means = job.Diff.Count == 0 ? baseline : alpha;
            var k = job.Label.EndsWith("-r2", StringComparison.Ordinal) ? 1 : job.Label.EndsWith("-r3", StringComparison.Ordinal) ? 2 : 0;
            return job with { AutoScores = [new SweepRunner.Core.Results.JobAutoScore(SweepRunner.Core.Scoring.AutoMetric.ClipI, model, 2, [means[k] - 0.001, means[k] + 0.001])] };
        }).ToList();

        var auto = Assert.Single(Assert.Single(SweepAnalyzer.Analyze(jobs).Settings).AutoVerdicts);

        Assert.Equal("CLIP-I", auto.Source.Name);
        Assert.Equal(Sureness.NotDistinguishable, auto.Verdict.Sureness);
        Assert.StartsWith("CLIP-I: network_alpha = 64 is highest (0.82 ± 0.1 over 3 seeds) against the baseline 1 (0.8 ± 0.1 over 3 seeds): within seed noise", auto.Verdict.Text);
    }

    [Fact]
    public void WithoutReplicatesTheVerdictCountsPreviewsAsBefore()
    {
        var setting = Assert.Single(SweepAnalyzer.Analyze([Jobs.Job("base", "", [80, 81, 79]), Jobs.Job("a64", "network_alpha=64", [90, 91, 89])]).Settings);
        Assert.False(setting.BySeeds);
        Assert.Null(setting.LossVerdict);
        Assert.DoesNotContain("seed", setting.Verdict.Text);
    }
}
