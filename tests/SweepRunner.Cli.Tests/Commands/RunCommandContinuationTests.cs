using System.Text.Json;
using SweepRunner.Cli.Tests.Support;
using SweepRunner.Core.Files;
using SweepRunner.Core.Results;
using SweepRunner.Store;

namespace SweepRunner.Cli.Tests.Commands;

/// <summary><c>run</c> on jobs that differ only in length: each longer job continues the shorter one's final state.</summary>
public class RunCommandContinuationTests : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("sweeprunner-continue-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>The demo model at 4 steps an epoch, a file and a preview every epoch; the jobs listed out of length order.</summary>
    string Sweep(params int[] epochs) => Sweep("lengths", epochs);

    string Sweep(string name, params int[] epochs)
    {
        var dataset = Path.Combine(CliProcess.RepoRoot, "datasets", "demo-person").Replace('\\', '/');
        File.WriteAllText(Path.Combine(_root, "prompts.txt"), "a photo of sks person --w 64 --h 64 --s 2 --d 5\n");
        var path = Path.Combine(_root, name + ".yaml");
        File.WriteAllText(path, $"""
            name: {name}
            dataset: {dataset}
            base:
              pretrained_model_name_or_path: demo
              resolution: 64
              num_repeats: 1
              train_batch_size: 4
              network_dim: 4
              network_alpha: 4
              learning_rate: 1e-3
              lr_scheduler: constant
              save_every_n_epochs: 1
              sample_every_n_epochs: 1
              sample_prompts: prompts.txt
              seed: 7
            list:
            {string.Join("\n", epochs.Select(e => $"  - {{ label: e{e}, max_train_epochs: {e} }}"))}
            """);
        return path;
    }

    static string DataHash(string results, string label) =>
        SafetensorsDataHash.OfFile(Path.Combine(results, "lengths", label, label + ".safetensors"));

    static async Task<string> JobId(string results, string label, string sweep = "lengths") =>
        (await (await ResultsStore.OpenAsync(results)).GetSweepStatusAsync(sweep)).Jobs.Single(j => j.Label == label).JobId;

    [Fact]
    public async Task AChainTrainsEachStepOnceAndEndsWithTheDataOfTrainingFromScratch()
    {
        var sweep = Sweep(1, 3, 2);
        var plan = CliProcess.Run(CliProcess.RepoRoot, "plan", sweep, "--json", "--results", Path.Combine(_root, "none"));
        Assert.True(plan.ExitCode == 0, plan.Out + plan.Error);
        using (var json = JsonDocument.Parse(plan.Out))
        {
            var jobs = json.RootElement.GetProperty("jobs").EnumerateArray().ToDictionary(j => j.GetProperty("label").GetString()!);
            Assert.Equal(JsonValueKind.Null, jobs["e1"].GetProperty("continues").ValueKind);
            Assert.Equal(("e2", 8), (jobs["e3"].GetProperty("continues").GetProperty("label").GetString(), jobs["e3"].GetProperty("continues").GetProperty("step").GetInt32()));
            Assert.Equal(("e1", 4), (jobs["e2"].GetProperty("continues").GetProperty("label").GetString(), jobs["e2"].GetProperty("continues").GetProperty("step").GetInt32()));
            Assert.Equal(4, jobs["e3"].GetProperty("steps_to_train").GetInt32());
            var totals = json.RootElement.GetProperty("totals");
            Assert.Equal((12, 24), (totals.GetProperty("steps_to_train").GetInt32(), totals.GetProperty("steps_alone").GetInt32()));
        }
        var table = CliProcess.Run(CliProcess.RepoRoot, "plan", sweep, "--results", Path.Combine(_root, "none"));
        Assert.Contains("e2 @ 8", table.Out);
        Assert.Contains("steps to train 12 of 24 if every job trained alone (50.0%)", table.Out);

        var results = Path.Combine(_root, "results");
        var run = CliProcess.Run(CliProcess.RepoRoot, "run", sweep, "--results", results);
        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        // Each job after the one it continues, whatever the sweep's order.
        Assert.True(run.Out.IndexOf("] e1", StringComparison.Ordinal) < run.Out.IndexOf("] e2", StringComparison.Ordinal), run.Out);
        Assert.True(run.Out.IndexOf("] e2", StringComparison.Ordinal) < run.Out.IndexOf("] e3", StringComparison.Ordinal), run.Out);
        Assert.Contains("] e3 (max_train_epochs=3): continuing e2 at step 8, 12 steps", run.Out);

        var store = await ResultsStore.OpenAsync(results);
        var e3 = await JobId(results, "e3");
        var attempt = Assert.Single(await store.GetAttemptsAsync(e3));
        Assert.Equal(8, attempt.ResumedFromStep);
        // The shared steps are e3's history too: every step's loss, every epoch's preview and file.
        Assert.Equal(Enumerable.Range(1, 12).Select(s => (long)s), (await store.GetMetricsAsync(attempt.AttemptId)).Select(m => m.Step));
        Assert.Equal([1L, 2L, 3L], (await store.GetPreviewsAsync(e3)).Select(p => p.Image.Epoch));
        Assert.Equal([1L, 2L, 3L], (await store.GetCheckpointsAsync(e3)).Select(c => c.Epoch));
        Assert.Equal("lengths/e1/e1.safetensors", (await store.GetCheckpointsAsync(e3))[0].File.RelativePath);
        // No final state is kept once nothing is left to continue it.
        Assert.Empty(Directory.GetFiles(Path.Combine(results, ".states")));

        // Trained alone in another results folder (e1 and e2 are not trained, so e3 starts from step 0).
        var alone = Path.Combine(_root, "alone");
        var scratch = CliProcess.Run(CliProcess.RepoRoot, "run", sweep, "--results", alone, "--only", "e3");
        Assert.True(scratch.ExitCode == 0, scratch.Out + scratch.Error);
        var aloneStore = await ResultsStore.OpenAsync(alone);
        Assert.Equal(0, Assert.Single(await aloneStore.GetAttemptsAsync(e3)).ResumedFromStep);
        Assert.Contains(await aloneStore.GetRecentEventsAsync(50), e => e.Message.Contains("left no final training state", StringComparison.Ordinal));

        Assert.Equal(DataHash(alone, "e3"), DataHash(results, "e3"));
        Assert.Equal(SafetensorsDataHash.OfFile(Path.Combine(alone, "lengths", "e3", "e3-000002.safetensors")), DataHash(results, "e2"));
    }

    [Fact]
    public async Task ACrashInTheContinuationResumesFromItsOwnStateAndEndsWithTheSameData()
    {
        var sweep = Sweep(1, 3);
        var results = Path.Combine(_root, "results");
        // e3 continues e1 from step 4, saves its own state at its epoch-2 file (step 8) and dies at step 10.
        var crashed = CliProcess.Run(CliProcess.RepoRoot, new Dictionary<string, string> { ["SWEEPRUNNER_TEST_CRASH"] = "e3:10" }, "run", sweep, "--results", results);
        Assert.True(crashed.ExitCode == 1, crashed.Out + crashed.Error);
        var e1 = await JobId(results, "e1");
        Assert.True(File.Exists(Path.Combine(results, ".states", e1 + ".safetensors")), "e1's final state stays while e3 is unfinished");

        var rerun = CliProcess.Run(CliProcess.RepoRoot, "run", sweep, "--results", results);
        Assert.True(rerun.ExitCode == 0, rerun.Out + rerun.Error);
        var store = await ResultsStore.OpenAsync(results);
        var attempts = await store.GetAttemptsAsync(await JobId(results, "e3"));
        Assert.Equal([(4L, AttemptOutcome.Failed), (8L, AttemptOutcome.Succeeded)], attempts.Select(a => (a.ResumedFromStep, a.Outcome!.Value)));
        Assert.False(File.Exists(Path.Combine(results, ".states", e1 + ".safetensors")), "released once e3 succeeded");

        var alone = Path.Combine(_root, "alone");
        var scratch = CliProcess.Run(CliProcess.RepoRoot, "run", sweep, "--results", alone, "--only", "e3");
        Assert.True(scratch.ExitCode == 0, scratch.Out + scratch.Error);
        Assert.Equal(DataHash(alone, "e3"), DataHash(results, "e3"));
    }

    [Fact]
    public async Task AJobOfAnotherSweepContinuesAFinishedJobWhoseStateAPendingJobKeeps()
    {
        var lengths = Sweep(1, 3);
        var results = Path.Combine(_root, "results");
        var first = CliProcess.Run(CliProcess.RepoRoot, "run", lengths, "--results", results, "--only", "e1");
        Assert.True(first.ExitCode == 0, first.Out + first.Error);
        var e1State = Path.Combine(results, ".states", await JobId(results, "e1") + ".safetensors");
        Assert.True(File.Exists(e1State), "e3, left for a later run, continues e1: e1 keeps its final state");

        var longer = Sweep("longer", 2);
        var plan = CliProcess.Run(CliProcess.RepoRoot, "plan", longer, "--results", results);
        Assert.Contains("lengths/e1 @ 4", plan.Out);
        var second = CliProcess.Run(CliProcess.RepoRoot, "run", longer, "--results", results);
        Assert.True(second.ExitCode == 0, second.Out + second.Error);
        Assert.Contains("continuing lengths/e1 at step 4", second.Out);
        var store = await ResultsStore.OpenAsync(results);
        var e2 = await JobId(results, "e2", "longer");
        Assert.Equal(4, Assert.Single(await store.GetAttemptsAsync(e2)).ResumedFromStep);
        Assert.Equal([1L, 2L], (await store.GetPreviewsAsync(e2)).Select(p => p.Image.Epoch));
        Assert.True(File.Exists(e1State), "e3 has still to continue e1");

        var third = CliProcess.Run(CliProcess.RepoRoot, "run", lengths, "--results", results);
        Assert.True(third.ExitCode == 0, third.Out + third.Error);
        Assert.Contains("continuing e1 at step 4", third.Out);
        Assert.False(File.Exists(e1State), "released once nothing is left to continue e1");
    }
}
