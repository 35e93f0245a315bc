using SweepRunner.Core.Planning;
using SweepRunner.Core.Sweeps;
using SweepRunner.Reports.NextSweep;

namespace SweepRunner.Reports.Tests.NextSweep;

/// <summary>The next sweep file: every choice a comment above its line, paths from the new folder, and it plans as written.</summary>
public sealed class NextSweepWriterTests
{
    /// <summary>Writes the next sweep of the study into a folder beside the sweep's, so every relative path must be rewritten.</summary>
    static async Task<(string Text, string Output)> WriteAsync(TemporaryFolder folder)
    {
        var (plan, analysis, _) = await StudyResults.AnalyseAsync(folder);
        var next = NextSweepPlanner.Decide(plan, analysis);
        var output = Path.Combine(folder.Path, "next", "nexttest.next.yaml");
        var text = NextSweepWriter.Render(next, plan, output, new DateTimeOffset(2026, 12, 2, 8, 0, 0, TimeSpan.Zero), out var prompts);
        Assert.Null(prompts);
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        File.WriteAllText(output, text);
        return (text, output);
    }

    [Fact]
    public async Task Every_choice_is_a_comment_above_the_line_it_made()
    {
        using var folder = new TemporaryFolder();
        var (text, _) = await WriteAsync(folder);
        var lines = text.Split('\n');
        int Line(string line) => Array.IndexOf(lines, line) is var i and >= 0 ? i : throw new Xunit.Sdk.XunitException($"no line '{line}' in:\n{text}");

        Assert.Contains("name: nexttest-next", lines);
        // The moved base value, with the numbers it rests on right above it.
        var alpha = Line("  network_alpha: 64");
        Assert.Equal("  # moved: network_alpha 16 → 64, the best level (clear)", lines[alpha - 4]);
        Assert.Equal("  #   mean score ± SE by level: 1 72.0 ± 1.2 (n=3 scores); 16 (baseline) 82.0 ± 1.2 (n=3 scores); 64 92.0 ± 1.2 (n=3 scores)", lines[alpha - 3]);
        Assert.Equal("  #   gap: 64 − 16 = +10.0 points (6.1 SE; 2 SE is likely, 3 SE clear)", lines[alpha - 2]);
        Assert.StartsWith("  #   verdict: 64 beats the baseline 16 by 10.0 points", lines[alpha - 1]);
        // Refined levels.
        var rate = Line("      learning_rate: [0.000316, 0.00316]");
        Assert.Equal("      # learning_rate: 0.001 is best (clear), so the base keeps it; refined on a log scale between its neighbours 0.0001 and 0.01", lines[rate - 4]);
        var refinedAlpha = Line("      network_alpha: [32, 256]");
        Assert.Contains("so the next sweep also tries one step (×4) above it", lines[refinedAlpha - 4]);
        // The tie: its levels again, and seeds for every job, each with why.
        var optimizer = Line("      optimizer_type: [Lion]");
        Assert.Equal("      # optimizer_type: not distinguishable: swept again with the same levels and 3 seeds per job, to tell an effect from luck", lines[optimizer - 4]);
        Assert.Equal("      #   gap: Lion − AdamW = +1.0 points (0.6 SE; 2 SE is likely, 3 SE clear)", lines[optimizer - 2]);
        var replicates = Line("replicates: 3");
        Assert.StartsWith("# 3 seeds per job (the sweep had 1): optimizer_type could not be told apart", lines[replicates - 1]);
        // No scores yet: swept as it was.
        var dim = Line("      network_dim: [32]");
        Assert.Equal("      # network_dim: kept as it was: nothing to judge yet", lines[dim - 3]);
        Assert.Equal("      #   verdict: insufficient data: a verdict needs 2 or more levels with 2 or more scores each (32: 0 scores)", lines[dim - 1]);
        // The inert setting is gone, with why.
        Assert.DoesNotContain(lines, line => line.Contains("lr_warmup_steps:", StringComparison.Ordinal) && !line.StartsWith('#'));
        var dropped = Line("# Not swept again:");
        Assert.StartsWith("# lr_warmup_steps: dropped: every level trained the same LoRA as another job (lr_warmup_steps=10 is a duplicate of base", lines[dropped + 1]);
        Assert.Equal("#   the planner's reason: lr_warmup_steps has no effect (the constant schedule has no warmup)", lines[dropped + 2]);
    }

    [Fact]
    public async Task The_file_plans_without_edits_and_its_paths_resolve_from_its_own_folder()
    {
        using var folder = new TemporaryFolder();
        var (text, output) = await WriteAsync(folder);

        // The dataset and the prompt file were written relative to the sweep file: now relative to the new one.
        Assert.Contains("\ndataset: ../datasets/person\n", text);
        Assert.Contains("\n  sample_prompts: ../sweeps/prompts/previews.txt\n", text);
        var plan = new Planner().Plan(SweepFileParser.Load(output));
        Assert.Empty(plan.Warnings);
        Assert.Equal("nexttest-next", plan.Sweep.Name);
        Assert.Equal(Path.Combine(folder.Path, "datasets", "person"), Path.GetFullPath(plan.Dataset.Path));
        Assert.Equal(Path.Combine(folder.Path, "sweeps", "prompts", "previews.txt"), plan.Sweep.Resolve((string)plan.EffectiveBase["sample_prompts"]!));
        // The new base: alpha moved, the rest as it was.
        Assert.Equal(64.0, plan.EffectiveBase["network_alpha"]);
        Assert.Equal(0.001, plan.EffectiveBase["learning_rate"]);
        // Every level once per seed, the baseline too: base, 2 rates, 2 alphas, Lion, dim 32, each 3 times.
        var firsts = plan.Jobs.Where(job => job.Replicate == 1).Select(job => job.Label).ToList();
        Assert.Equal(["base", "learning_rate=0.000316", "learning_rate=0.00316", "network_alpha=32", "network_alpha=256", "optimizer_type=Lion", "network_dim=32"], firsts);
        Assert.Equal(21, plan.Jobs.Count);
        Assert.All(firsts, label => Assert.Equal(3, plan.Jobs.Count(job => job.ReplicateGroup == label)));
        Assert.DoesNotContain(plan.Jobs, job => !Equals(job.Settings["lr_warmup_steps"], 0L));
    }
}
