using SweepRunner.Core.Planning;
using SweepRunner.Core.Sweeps;
using SweepRunner.Reports.Analysis;
using SweepRunner.Reports.Html;
using SweepRunner.Reports.NextSweep;
using SweepRunner.Reports.Tests.Support;
using SweepRunner.Store;

namespace SweepRunner.Reports.Tests.NextSweep;

/// <summary>The next sweep from results with given scores: what moves, what is refined, what gets seeds, what is dropped.</summary>
public sealed class NextSweepTests
{
    static async Task<(NextSweepPlan Next, string Text, string Output, SweepPlan Plan)> NextAsync(TemporaryFolder folder)
    {
        var (sweepFile, results, plan) = await NextSweepStudy.CreateAsync(folder.Path);
        var store = await ResultsStore.OpenForReadingAsync(results);
        var jobs = ReportJob.From(await store.GetSweepReportDataAsync(NextSweepStudy.SweepName));
        var analysis = SweepAnalyzer.Analyze(jobs.Where(job => !job.IsDuplicate).Select(job => job.Analysis).ToList());
        var next = NextSweepPlanner.Decide(plan, analysis);
        var output = Path.Combine(folder.Path, "next", "nexttest.next.yaml");
        var text = NextSweepWriter.Render(next, plan, output, new DateTimeOffset(2026, 12, 2, 8, 0, 0, TimeSpan.Zero), out var prompts);
        Assert.Null(prompts);
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        File.WriteAllText(output, text);
        return (next, text, output, plan);
    }

    [Fact]
    public async Task Each_setting_gets_the_choice_its_verdict_calls_for()
    {
        using var folder = new TemporaryFolder();
        var (next, _, _, _) = await NextAsync(folder);

        var choices = next.Settings.ToDictionary(setting => string.Join("+", setting.Keys), setting => setting);
        Assert.Equal(NextChoice.Refined, choices["learning_rate"].Choice);
        // The baseline 1e-3 won between 1e-4 and 1e-2: geometric midpoints, 3 significant digits; the base keeps 1e-3.
        Assert.Equal([0.000316, 0.00316], choices["learning_rate"].Levels.Select(values => (double)values[0]!));
        Assert.Equal(0.001, next.Base["learning_rate"]);
        // 64 won at the top of 1, 16, 64: the base moves to it, and the next sweep tries its lower midpoint and one step above.
        Assert.Equal(NextChoice.Refined, choices["network_alpha"].Choice);
        Assert.Equal([32.0, 256.0], choices["network_alpha"].Levels.Select(values => (double)values[0]!));
        Assert.Equal(64.0, next.Base["network_alpha"]);
        Assert.StartsWith("network_alpha 16 → 64: 64 beats the baseline 16", next.MovedBase["network_alpha"]);
        Assert.Equal((NextChoice.Replicated, 3), (choices["optimizer_type"].Choice, choices["optimizer_type"].Replicates));
        Assert.Equal(["Lion"], choices["optimizer_type"].Levels.Select(values => (string)values[0]!));
        Assert.Equal(NextChoice.Dropped, choices["lr_warmup_steps"].Choice);
        Assert.Contains("the constant schedule has no warmup", choices["lr_warmup_steps"].Reason);
        Assert.Single(next.MovedBase);
    }

    [Fact]
    public async Task The_file_explains_every_choice_and_plans_without_edits()
    {
        using var folder = new TemporaryFolder();
        var (_, text, output, _) = await NextAsync(folder);

        Assert.Contains("name: nexttest-next\n", text);
        Assert.Contains("  # moved: network_alpha 16 → 64: 64 beats the baseline 16 by 10.0 points", text);
        Assert.Contains("  network_alpha: 64\n", text);
        Assert.Contains("      # learning_rate: 0.001 is best (clear), refined on a log scale between its neighbours 0.0001 and 0.01: ", text);
        Assert.Contains("      learning_rate: [0.000316, 0.00316]\n", text);
        Assert.Contains("it is the highest level tried, so the next sweep also tries one step above it", text);
        Assert.Contains("      network_alpha: [32, 256]\n", text);
        Assert.Contains("      replicates: 3\n", text);
        Assert.Contains("      # optimizer_type: not distinguishable, so swept again with 3 seeds to tell luck from effect: ", text);
        Assert.Contains("      optimizer_type: [Lion]\n", text);
        Assert.Contains("# lr_warmup_steps: dropped: every level trained the same LoRA as another job", text);
        Assert.DoesNotContain("lr_warmup_steps: [", text);

        var plan = new Planner().Plan(SweepFileParser.Load(output));
        Assert.Empty(plan.Warnings);
        Assert.All(plan.Jobs.Where(job => !job.Diff.ContainsKey("network_alpha")), job => Assert.Equal(64.0, job.Settings["network_alpha"]));
        var labels = plan.Jobs.Select(job => job.Label).ToList();
        Assert.Contains("learning_rate=0.000316", labels);
        Assert.Contains("network_alpha=256", labels);
        Assert.Equal(3, plan.Jobs.Count(job => job.Settings["optimizer_type"] is "Lion"));
        Assert.Equal(Path.GetFullPath(RepositoryFiles.Path("datasets/demo-person")), Path.GetFullPath(plan.Dataset.Path));
        Assert.Equal(64.0, plan.EffectiveBase["network_alpha"]);
    }
}
