using SweepRunner.Core.Planning;
using SweepRunner.Core.Results;
using SweepRunner.Core.Sweeps;
using SweepRunner.Core.Text;
using SweepRunner.Reports.Analysis;
using SweepRunner.Reports.NextSweep;

namespace SweepRunner.Reports.Tests.NextSweep;

/// <summary>What the next sweep does with each setting, from a results database with given scores.</summary>
public sealed class NextSweepPlannerTests
{
    static async Task<NextSweepPlan> DecideAsync(TemporaryFolder folder, IReadOnlyDictionary<string, string>? loras = null)
    {
        var (plan, analysis, _) = await StudyResults.AnalyseAsync(folder);
        return NextSweepPlanner.Decide(plan, analysis, loras);
    }

    static NextSetting Setting(NextSweepPlan next, string name) => next.Settings.Single(setting => setting.Name == name);

    [Fact]
    public async Task The_base_moves_only_where_a_level_is_surely_better()
    {
        using var folder = new TemporaryFolder();
        var next = await DecideAsync(folder);

        Assert.Equal("nexttest-next", next.Name);
        // alpha 64 beats the baseline 16 clearly: the base takes it.
        Assert.Equal(64.0, next.Base["network_alpha"]);
        Assert.StartsWith("network_alpha 16 → 64, the best level (clear)\n", next.MovedBase["network_alpha"]);
        // The baseline's learning rate won, Lion is a tie and network_dim has no scores: their base values stay.
        Assert.Equal(0.001, next.Base["learning_rate"]);
        Assert.Equal("AdamW", next.Base["optimizer_type"]);
        Assert.Equal(16L, next.Base["network_dim"]);
        Assert.Equal(["network_alpha"], next.MovedBase.Keys);
    }

    [Fact]
    public async Task Numeric_winners_are_refined_between_their_neighbours_on_the_catalog_scale()
    {
        using var folder = new TemporaryFolder();
        var next = await DecideAsync(folder);

        // The baseline 1e-3 won between 1e-4 and 1e-2: geometric midpoints to 3 significant digits.
        var rate = Setting(next, "learning_rate");
        Assert.Equal(NextChoice.Refined, rate.Choice);
        Assert.Equal([0.000316, 0.00316], rate.Levels.Select(values => (double)values[0]!));
        Assert.Contains("on a log scale between its neighbours 0.0001 and 0.01", rate.Reason);
        // 64 won at the top of 1, 16, 64: the midpoint below it (32) and one step (×4) above it (256).
        var alpha = Setting(next, "network_alpha");
        Assert.Equal(NextChoice.Refined, alpha.Choice);
        Assert.Equal([32.0, 256.0], alpha.Levels.Select(values => (double)values[0]!));
        Assert.Contains("it is the highest level tried, so the next sweep also tries one step (×4) above it", alpha.Reason);
        Assert.Equal(64.0, alpha.BaseValues["network_alpha"]);
    }

    [Fact]
    public async Task A_tie_is_swept_again_with_more_seeds_and_the_whole_sweep_takes_them()
    {
        using var folder = new TemporaryFolder();
        var next = await DecideAsync(folder);

        var optimizer = Setting(next, "optimizer_type");
        Assert.Equal((NextChoice.Replicated, 3), (optimizer.Choice, optimizer.Replicates));
        Assert.Equal(["Lion"], optimizer.Levels.Select(values => (string)values[0]!));
        Assert.StartsWith("not distinguishable: swept again with the same levels and 3 seeds per job", optimizer.Reason);
        // The baseline's seeds are what Lion's are compared with, so every job gets 3.
        Assert.Equal(3, next.Replicates);
        Assert.Contains("optimizer_type could not be told apart", next.ReplicatesReason);
    }

    [Fact]
    public async Task Settings_without_scores_are_kept_and_inert_ones_dropped()
    {
        using var folder = new TemporaryFolder();
        var next = await DecideAsync(folder);

        var dim = Setting(next, "network_dim");
        Assert.Equal(NextChoice.Kept, dim.Choice);
        Assert.Equal([32L], dim.Levels.Select(values => values[0]));
        Assert.StartsWith("kept as it was: nothing to judge yet", dim.Reason);
        var warmup = Setting(next, "lr_warmup_steps");
        Assert.Equal(NextChoice.Dropped, warmup.Choice);
        Assert.Empty(warmup.Levels);
        Assert.Contains("lr_warmup_steps=10 is a duplicate of base", warmup.Reason);
        Assert.Contains("the planner's reason: lr_warmup_steps has no effect (the constant schedule has no warmup)", warmup.Reason);
    }

    [Fact]
    public async Task A_setting_whose_levels_trained_the_baselines_tensors_is_dropped()
    {
        using var folder = new TemporaryFolder();
        var same = new string('a', 64);
        var next = await DecideAsync(folder, new Dictionary<string, string> { ["base"] = same, ["optimizer_type=Lion"] = same, ["network_alpha=64"] = new string('b', 64) });

        var optimizer = Setting(next, "optimizer_type");
        Assert.Equal(NextChoice.Dropped, optimizer.Choice);
        Assert.Contains("every level (AdamW, Lion) trained a LoRA with the same tensors as the baseline's (data sha256 aaaaaaaaaaaa…)", optimizer.Reason);
        // Without the tie there is nothing that needs more seeds; a level with another file (or none) is judged by its scores.
        Assert.Equal(1, next.Replicates);
        Assert.Null(next.ReplicatesReason);
        Assert.Equal(NextChoice.Refined, Setting(next, "network_alpha").Choice);
    }

    [Fact]
    public async Task The_reasons_quote_each_levels_mean_and_n_and_the_gap()
    {
        using var folder = new TemporaryFolder();
        var next = await DecideAsync(folder);

        var alpha = Setting(next, "network_alpha").Reason.Split('\n');
        Assert.Equal("mean score ± SE by level: 1 72.0 ± 1.2 (n=3 scores); 16 (baseline) 82.0 ± 1.2 (n=3 scores); 64 92.0 ± 1.2 (n=3 scores)", alpha[1]);
        Assert.Equal("gap: 64 − 16 = +10.0 points (6.1 SE; 2 SE is likely, 3 SE clear)", alpha[2]);
        Assert.StartsWith("verdict: 64 beats the baseline 16 by 10.0 points", alpha[3]);
        var optimizer = Setting(next, "optimizer_type").Reason.Split('\n');
        Assert.Equal("gap: Lion − AdamW = +1.0 points (0.6 SE; 2 SE is likely, 3 SE clear)", optimizer[2]);
    }

    [Fact]
    public async Task Results_recorded_for_another_version_of_the_file_are_reported()
    {
        using var folder = new TemporaryFolder();
        var (plan, analysis, sweepFile) = await StudyResults.AnalyseAsync(folder);
        Assert.Empty(NextSweepPlanner.Mismatches(plan, analysis));

        File.WriteAllText(sweepFile, NextSweepStudy.Yaml(baseLearningRate: "2e-3"));
        var edited = new Planner().Plan(SweepFileParser.Load(sweepFile));
        var mismatches = NextSweepPlanner.Mismatches(edited, analysis);
        Assert.Contains("base: trained with other settings than the file now plans (learning_rate 0.001 → 0.002)", mismatches);
    }

    [Fact]
    public void In_a_grid_only_the_inert_key_is_dropped_not_the_settings_it_was_crossed_with()
    {
        using var folder = new TemporaryFolder();
        var sweepFile = folder.File("grid.yaml");
        File.WriteAllText(sweepFile, $$"""
            name: grid
            dataset: {{RepositoryFiles.Path("datasets/demo-person").Replace('\\', '/')}}
            base: { pretrained_model_name_or_path: demo, resolution: 64, max_train_epochs: 1, learning_rate: 1e-3 }
            grid:
              learning_rate: [1e-4, 1e-3]
              lr_warmup_steps: [0, 100]
            """);
        var plan = new Planner().Plan(SweepFileParser.Load(sweepFile));
        // The jobs as the report reads them, without scores: the warmup-100 ones train what the warmup-0 ones do.
        var jobs = plan.UniqueJobs.Select(job => new AnalysisJob(job.Label, job.Id,
            job.Diff.ToDictionary(pair => pair.Key, pair => DiffText.Value(pair.Value)),
            job.Settings.ToDictionary(pair => pair.Key, pair => DiffText.Value(pair.Value)), JobState.Succeeded, 10, 1, [])).ToList();
        var next = NextSweepPlanner.Decide(plan, SweepAnalyzer.Analyze(jobs));

        Assert.Equal(2, plan.Jobs.Count(job => job.DuplicateOf is not null));
        var dropped = Assert.Single(next.Settings, setting => setting.Choice == NextChoice.Dropped);
        Assert.Equal(["lr_warmup_steps"], dropped.Keys);
        Assert.Equal(NextChoice.Kept, Setting(next, "learning_rate").Choice);
        Assert.Equal([0.0001], Setting(next, "learning_rate").Levels.Select(values => (double)values[0]!));
    }
}
