using SweepRunner.Store.Errors;
using SweepRunner.Core.Results;
using SweepRunner.Store.Tests.Support;

namespace SweepRunner.Store.Tests;

public sealed class ResultsStoreSweepScoresTests
{
    [Fact]
    public async Task Scores_by_label_reach_the_labelled_job_and_an_epoch_score_is_its_own_target()
    {
        using var folder = new TemporaryFolder();
        var store = await ResultsStore.OpenAsync(folder.Path);
        await TrainedDimJobAsync(store, savedEpochs: [2, 4]);

        var ids = await store.AddSweepScoresAsync("dims", [
            new LabelledScore("dim8", new ScoreEntry("alice", 70, Blind: false, "final"), Epoch: null, "line 2"),
            new LabelledScore("dim8", new ScoreEntry("alice", 40, Blind: false), Epoch: 2, "line 3"),
            new LabelledScore("dim8", new ScoreEntry("alice", 55, Blind: false), Epoch: 2, "line 4"),
        ]);

        Assert.Equal(3, ids.Count);
        var latest = await store.GetLatestScoresAsync("job-dim8");
        Assert.Equal([((long?)null, 70.0), (2, 55.0)], latest.Select(score => (score.Epoch, score.Value)));
        // The score without an epoch judges the final LoRA (epoch 4): it alone counts; epoch 2's is shown, not counted.
        var score = Assert.Single((await store.GetSweepExportAsync("dims")).Rows).Score;
        Assert.Equal((4L, 70.0, 1), (score.Epoch!.Value, score.Summary.Mean!.Value, score.Summary.N));
        Assert.Equal([(2L, 55.0)], score.OtherEpochs.Select(epoch => (epoch.Epoch, epoch.Summary.Mean!.Value)));
    }

    [Fact]
    public async Task One_bad_row_adds_no_score_and_the_error_lists_every_problem_with_its_source()
    {
        using var folder = new TemporaryFolder();
        var store = await ResultsStore.OpenAsync(folder.Path);
        await TrainedDimJobAsync(store, savedEpochs: [2, 4]);

        var refusal = await Assert.ThrowsAsync<ResultsStoreException>(() => store.AddSweepScoresAsync("dims", [
            new LabelledScore("dim8", new ScoreEntry("alice", 70, Blind: false), Epoch: null, "scores.csv line 2"),
            new LabelledScore("dim9", new ScoreEntry("alice", 70, Blind: false), Epoch: null, "scores.csv line 3"),
            new LabelledScore("dim8", new ScoreEntry("alice", 70, Blind: false), Epoch: 3, "scores.csv line 4"),
        ]));

        Assert.Contains("scores.csv line 3: the sweep has no job labelled 'dim9' (its labels: dim8)", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("scores.csv line 4: job 'dim8' has nothing saved at epoch 3 (epochs with a LoRA or previews: 2, 4)", refusal.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("line 2", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(0, RawDatabase.Scalar<int>(folder.DatabasePath, "SELECT count(*) FROM scores;"));
    }

    [Fact]
    public async Task A_job_with_nothing_saved_yet_cannot_be_scored_and_an_out_of_range_value_names_its_source()
    {
        using var folder = new TemporaryFolder();
        var store = await ResultsStore.OpenAsync(folder.Path);
        await store.RegisterSweepAsync(Sweeps.DimSweep("dims", 8));

        var untrained = await Assert.ThrowsAsync<ResultsStoreException>(() => store.AddSweepScoresAsync(
            "dims", [new LabelledScore("dim8", new ScoreEntry("alice", 70, Blind: false), Epoch: null, "line 2")]));
        var outOfRange = await Assert.ThrowsAsync<ArgumentException>(() => store.AddSweepScoresAsync(
            "dims", [new LabelledScore("dim8", new ScoreEntry("alice", 170, Blind: false), Epoch: null, "line 5")]));

        Assert.Contains("job 'dim8' has saved no LoRA or preview yet", untrained.Message, StringComparison.Ordinal);
        Assert.StartsWith("line 5: the score 170 from 'alice' is not a number from 0 to 100", outOfRange.Message, StringComparison.Ordinal);
        Assert.Equal(0, RawDatabase.Scalar<int>(folder.DatabasePath, "SELECT count(*) FROM scores;"));
    }

    [Fact]
    public async Task The_schema_refuses_an_epoch_on_a_preview_score()
    {
        using var folder = new TemporaryFolder();
        var store = await ResultsStore.OpenAsync(folder.Path);
        await TrainedDimJobAsync(store, savedEpochs: [2]);
        var previewId = RawDatabase.Scalar<long>(folder.DatabasePath, "SELECT id FROM previews LIMIT 1;");

        var refusal = Assert.Throws<Microsoft.Data.Sqlite.SqliteException>(() => RawDatabase.Execute(
            folder.DatabasePath,
            $"INSERT INTO scores (job_id, preview_id, epoch, scorer, value, blind, scored_at) VALUES ('job-dim8', {previewId}, 2, 'bob', 50, 0, '2025-01-01T00:00:00.0000000Z');"));

        Assert.Contains("CHECK constraint failed", refusal.Message, StringComparison.Ordinal);
    }

    private static async Task TrainedDimJobAsync(ResultsStore store, IReadOnlyList<long> savedEpochs)
    {
        await store.RegisterSweepAsync(Sweeps.DimSweep("dims", 8));
        var attemptId = await store.StartAttemptAsync(new AttemptStart("job-dim8", "host", 1, "cpu"));
        foreach (var epoch in savedEpochs)
        {
            await store.RecordCheckpointAsync(attemptId, epoch, new ArtifactFile($"dims/job-dim8/e{epoch}.safetensors", 10, new string('c', 64)));
        }

        var image = new PreviewImage(savedEpochs[0], 0, "a dog", "", 1, "euler_a", 20, 7, 64, 64, new ArtifactFile("dims/job-dim8/p0.png", 10, new string('a', 64)));
        await store.RecordPreviewAsync(attemptId, image);
    }
}
