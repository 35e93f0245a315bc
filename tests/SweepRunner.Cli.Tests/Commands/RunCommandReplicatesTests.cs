using System.Text.Json;
using SweepRunner.Cli.Tests.Support;

namespace SweepRunner.Cli.Tests.Commands;

/// <summary><c>replicates:</c> end to end: planned, trained, scored, exported and reported per seed.</summary>
public class RunCommandReplicatesTests : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("sweeprunner-replicates-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void TheQuickstartWithTwoReplicatesPlansEachJobTwiceWithDerivedSeeds()
    {
        var quickstart = File.ReadAllText(Path.Combine(CliProcess.RepoRoot, "sweeps", "quickstart.yaml"));
        var path = Path.Combine(CliProcess.RepoRoot, "sweeps", $".quickstart-replicates-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, quickstart + "\nreplicates: 2\n");
        try
        {
            var plain = CliProcess.Run(CliProcess.RepoRoot, "plan", "sweeps/quickstart.yaml", "--json", "--results", Path.Combine(_root, "none"));
            using var plainJson = JsonDocument.Parse(plain.Out);
            var plainUnique = plainJson.RootElement.GetProperty("totals").GetProperty("unique_jobs").GetInt32();
            var plan = CliProcess.Run(CliProcess.RepoRoot, "plan", path, "--json", "--results", Path.Combine(_root, "none"));
            Assert.True(plan.ExitCode == 0, plan.Out + plan.Error);
            using var json = JsonDocument.Parse(plan.Out);
            var jobs = json.RootElement.GetProperty("jobs").EnumerateArray().ToList();
            Assert.Equal(2 * plainJson.RootElement.GetProperty("jobs").GetArrayLength(), jobs.Count);
            Assert.Equal(2 * plainUnique, json.RootElement.GetProperty("totals").GetProperty("unique_jobs").GetInt32());
            var firsts = jobs.Where(j => j.GetProperty("replicate").GetInt32() == 1).ToList();
            Assert.Equal(jobs.Count / 2, firsts.Count);
            foreach (var first in firsts)
            {
                var label = first.GetProperty("label").GetString()!;
                var second = jobs.Single(j => j.GetProperty("label").GetString() == label + "-r2");
                Assert.Equal(label, second.GetProperty("replicate_of").GetString());
                Assert.NotEqual(first.GetProperty("settings").GetProperty("seed").GetInt64(), second.GetProperty("settings").GetProperty("seed").GetInt64());
                Assert.Equal(first.GetProperty("settings").GetProperty("learning_rate").GetDouble(), second.GetProperty("settings").GetProperty("learning_rate").GetDouble());
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void TrainedReplicatesAreExportedAndReportedAsOneLevelWithTheSpreadBetweenSeeds()
    {
        var dataset = Path.Combine(CliProcess.RepoRoot, "datasets", "demo-person").Replace('\\', '/');
        var sweep = Path.Combine(_root, "seeds.yaml");
        File.WriteAllText(sweep, $"""
            name: seeds
            dataset: {dataset}
            base:
              pretrained_model_name_or_path: demo
              resolution: 64
              max_train_epochs: 1
              num_repeats: 1
              train_batch_size: 4
              network_dim: 4
              network_alpha: 4
              learning_rate: 1e-3
              seed: 7
            replicates: 2
            baseline_label: base
            ofat:
              network_alpha: [4, 1]
            """);
        var results = Path.Combine(_root, "results");
        var run = CliProcess.Run(CliProcess.RepoRoot, "run", sweep, "--results", results);
        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Contains("4 succeeded", run.Out);
        foreach (var (label, score) in new[] { ("base", "70"), ("base-r2", "72"), ("network_alpha=1", "60"), ("network_alpha=1-r2", "90") })
        {
            var scored = CliProcess.Run(CliProcess.RepoRoot, "score", "seeds", label, score, "--scorer", "ann", "--results", results);
            Assert.True(scored.ExitCode == 0, scored.Out + scored.Error);
        }

        var export = CliProcess.Run(CliProcess.RepoRoot, "export", "seeds", "--format", "json", "--results", results);
        Assert.True(export.ExitCode == 0, export.Out + export.Error);
        using (var json = JsonDocument.Parse(export.Out))
        {
            var rows = json.RootElement.GetProperty("jobs").EnumerateArray()
                .Select(r => (r.GetProperty("label").GetString(), r.GetProperty("replicate_of").GetString(), r.GetProperty("replicate").GetInt32())).ToList();
            Assert.Equal([("base", "base", 1), ("base-r2", "base", 2), ("network_alpha=1", "network_alpha=1", 1), ("network_alpha=1-r2", "network_alpha=1", 2)], rows);
        }

        var report = CliProcess.Run(CliProcess.RepoRoot, "report", "seeds", "--results", results, "--out", Path.Combine(_root, "report"));
        Assert.True(report.ExitCode == 0, report.Out + report.Error);
        var html = File.ReadAllText(Path.Combine(_root, "report", "index.html"));
        // 60 and 90 against 70 and 72: a 4-point gap between means with a 21-point spread between seeds ("±" is written &#177;).
        Assert.Contains("scores: network_alpha = 1 is highest (75 &#177; 21.2132 over 2 seeds) against the baseline 4 (71 &#177; 1.4142 over 2 seeds): within seed noise", html);
        Assert.Contains("final loss: ", html);
        Assert.Contains("between seeds: score 75 &#177; 21.2132 over 2 seeds", html);
    }
}
