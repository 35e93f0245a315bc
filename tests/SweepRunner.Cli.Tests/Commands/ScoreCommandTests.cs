using SweepRunner.Cli.Tests.Support;
using SweepRunner.Store;
using SweepRunner.Core.Results;

namespace SweepRunner.Cli.Tests.Commands;

/// <summary>score, one at a time and from CSV, against a real results database.</summary>
public sealed class ScoreCommandTests : IDisposable
{
    private readonly string _results = Directory.CreateTempSubdirectory("sweeprunner-results-").FullName;

    public void Dispose() => Directory.Delete(_results, recursive: true);

    [Fact]
    public async Task A_score_by_label_and_epoch_is_recorded_with_scorer_and_note()
    {
        var jobId = await TrainedJobAsync("13", savedEpochs: [2, 4]);

        var final = Run("score", "lora-25-patterns", "13", "85", "--scorer", "alice", "--note", "clean face");
        var epoch = Run("score", "lora-25-patterns", "13", "40", "--epoch", "2", "--scorer", "alice");

        Assert.True(final.ExitCode == 0, final.Error);
        Assert.True(epoch.ExitCode == 0, epoch.Error);
        Assert.Contains("recorded 40 for '13' at epoch 2", epoch.Error, StringComparison.Ordinal);
        var latest = await (await ResultsStore.OpenAsync(_results)).GetLatestScoresAsync(jobId);
        Assert.Equal(
            [((long?)null, "alice", 85.0, "clean face"), (2, "alice", 40.0, null)],
            latest.Select(score => (score.Epoch, score.Scorer, score.Value, score.Note)));
    }

    [Fact]
    public async Task Bad_labels_epochs_and_values_are_refused_and_store_nothing()
    {
        await TrainedJobAsync("13", savedEpochs: [2]);

        var unknownLabel = Run("score", "lora-25-patterns", "99", "50");
        var missingEpoch = Run("score", "lora-25-patterns", "13", "50", "--epoch", "3");
        var untrained = Run("score", "lora-25-patterns", "4", "50");
        var outOfRange = Run("score", "lora-25-patterns", "13", "101");

        Assert.Equal((2, 2, 2), (unknownLabel.ExitCode, missingEpoch.ExitCode, untrained.ExitCode));
        Assert.NotEqual(0, outOfRange.ExitCode);
        Assert.Contains("the command line: the sweep has no job labelled '99'", unknownLabel.Error, StringComparison.Ordinal);
        Assert.Contains("job '13' has nothing saved at epoch 3 (epochs with a LoRA or previews: 2)", missingEpoch.Error, StringComparison.Ordinal);
        Assert.Contains("job '4' has saved no LoRA or preview yet", untrained.Error, StringComparison.Ordinal);
        Assert.Contains("from 0 to 100", outOfRange.Error + outOfRange.Out, StringComparison.Ordinal);
        Assert.Empty((await (await ResultsStore.OpenAsync(_results)).GetSweepExportAsync("lora-25-patterns")).Rows.SelectMany(row => row.Scores));
    }

    [Fact]
    public async Task A_csv_import_adds_every_row_or_none()
    {
        var job13 = await TrainedJobAsync("13", savedEpochs: [2, 4]);
        var job4 = await TrainedJobAsync("4", savedEpochs: [4]);
        var good = Path.Combine(_results, "good.csv");
        var bad = Path.Combine(_results, "bad.csv");
        await File.WriteAllTextAsync(good, "label,score,epoch,note\n13,80,,\"sharp, clean\"\n4,55,4,\n");
        await File.WriteAllTextAsync(bad, "label,score\n13,90\n15,70\n");

        var refused = Run("score", "lora-25-patterns", "--import", bad, "--scorer", "bob");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains($"{bad} line 3: the sweep has no job labelled '15'", refused.Error, StringComparison.Ordinal);

        var imported = Run("score", "lora-25-patterns", "--import", good, "--scorer", "bob");
        Assert.True(imported.ExitCode == 0, imported.Error);
        Assert.Contains("recorded 2 scores", imported.Error, StringComparison.Ordinal);
        var store = await ResultsStore.OpenAsync(_results);
        var score13 = Assert.Single(await store.GetLatestScoresAsync(job13));
        var score4 = Assert.Single(await store.GetLatestScoresAsync(job4));
        Assert.Equal(("bob", 80.0, (long?)null, "sharp, clean"), (score13.Scorer, score13.Value, score13.Epoch, score13.Note));
        Assert.Equal(("bob", 55.0, (long?)4), (score4.Scorer, score4.Value, score4.Epoch));
    }

    private CliResult Run(params string[] args) => CliProcess.Run(CliProcess.RepoRoot, [.. args, "--results", _results]);

    /// <summary>Registers the 25-pattern sweep and records, for one label, the LoRA files a training attempt would save.</summary>
    private async Task<string> TrainedJobAsync(string label, IReadOnlyList<long> savedEpochs)
    {
        if (!File.Exists(Path.Combine(_results, ResultsStore.DatabaseFileName)))
        {
            var plan = Run("plan", "sweeps/lora-25-patterns.yaml", "--save");
            Assert.True(plan.ExitCode == 0, plan.Error);
        }

        var store = await ResultsStore.OpenAsync(_results);
        var jobId = (await store.GetSweepExportAsync("lora-25-patterns")).Rows.Single(row => row.Label == label).JobId;
        var attemptId = await store.StartAttemptAsync(new AttemptStart(jobId, "host", 1, "cpu"));
        foreach (var epoch in savedEpochs)
        {
            await store.RecordCheckpointAsync(attemptId, epoch, new ArtifactFile($"{jobId}/e{epoch}.safetensors", 10, new string('c', 64)));
        }

        return jobId;
    }
}
