using Microsoft.Data.Sqlite;
using SweepRunner.Core.Results;
using SweepRunner.Store.Tests.Support;

namespace SweepRunner.Store.Tests;

public sealed class ResultsStoreScoresTests
{
    [Fact]
    public async Task The_latest_score_of_each_scorer_for_each_target_is_the_one_that_counts()
    {
        using var folder = new TemporaryFolder();
        var clock = ManualTimeProvider.AtSampleDate();
        var store = await ResultsStore.OpenAsync(folder.Path, clock);
        var (previewA, previewB) = await TwoPreviewsAsync(store);

        await store.AddPreviewScoreAsync(previewA, new ScoreEntry("alice", 40, Blind: true));
        await store.AddPreviewScoreAsync(previewA, new ScoreEntry("bob", 90, Blind: true));
        clock.Advance(TimeSpan.FromMinutes(1));
        var aliceSecond = await store.AddPreviewScoreAsync(previewA, new ScoreEntry("alice", 60, Blind: false, "looked again"));
        await store.AddPreviewScoreAsync(previewB, new ScoreEntry("alice", 20, Blind: true));
        await store.AddJobScoreAsync("job-dim8", new ScoreEntry("alice", 50, Blind: true));

        var latest = await store.GetLatestScoresAsync("job-dim8");

        Assert.Equal(
            [(null, "alice", 50.0), (previewA, "alice", 60.0), (previewA, "bob", 90.0), (previewB, "alice", 20.0)],
            latest.Select(score => (score.PreviewId, score.Scorer, score.Value)));
        var second = latest.Single(score => score.ScoreId == aliceSecond);
        Assert.Equal((false, "looked again", clock.GetUtcNow()), (second.Blind, second.Note, second.ScoredAt));
        Assert.Equal(5, RawDatabase.Scalar<int>(folder.DatabasePath, "SELECT count(*) FROM scores;"));

        // Both previews are of epoch 1, the final one, which the job-level score judges too: all four count, each once.
        var row = Assert.Single((await store.GetSweepExportAsync("dims")).Rows);
        Assert.Equal([new ScorerMean("alice", (50 + 60 + 20) / 3.0, 3), new ScorerMean("bob", 90, 1)], row.Scores);
        Assert.Equal((50 + 60 + 20 + 90) / 4.0, row.OverallScore!.Value, precision: 12);
    }

    [Theory]
    [InlineData(-0.5)]
    [InlineData(100.5)]
    [InlineData(double.NaN)]
    public async Task Scores_outside_0_to_100_are_refused(double value)
    {
        using var folder = new TemporaryFolder();
        var store = await ResultsStore.OpenAsync(folder.Path);
        await store.RegisterSweepAsync(Sweeps.DimSweep("dims", 8));

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.AddJobScoreAsync("job-dim8", new ScoreEntry("alice", value, Blind: true)));

        Assert.Empty(await store.GetLatestScoresAsync("job-dim8"));
    }

    [Fact]
    public async Task The_schema_itself_refuses_out_of_range_changed_or_deleted_scores()
    {
        using var folder = new TemporaryFolder();
        var store = await ResultsStore.OpenAsync(folder.Path);
        await store.RegisterSweepAsync(Sweeps.DimSweep("dims", 8));
        await store.AddJobScoreAsync("job-dim8", new ScoreEntry("alice", 70, Blind: true));

        var outOfRange = Assert.Throws<SqliteException>(() => RawDatabase.Execute(
            folder.DatabasePath,
            "INSERT INTO scores (job_id, scorer, value, blind, scored_at) VALUES ('job-dim8', 'bob', 101, 0, '2025-01-01T00:00:00.0000000Z');"));
        var changed = Assert.Throws<SqliteException>(() => RawDatabase.Execute(folder.DatabasePath, "UPDATE scores SET value = 10;"));
        var deleted = Assert.Throws<SqliteException>(() => RawDatabase.Execute(folder.DatabasePath, "DELETE FROM scores;"));

        Assert.Contains("CHECK constraint failed", outOfRange.Message, StringComparison.Ordinal);
        Assert.Contains("append-only", changed.Message, StringComparison.Ordinal);
        Assert.Contains("append-only", deleted.Message, StringComparison.Ordinal);
        Assert.Equal(70, Assert.Single(await store.GetLatestScoresAsync("job-dim8")).Value);
    }

    private static async Task<(long PreviewA, long PreviewB)> TwoPreviewsAsync(ResultsStore store)
    {
        await store.RegisterSweepAsync(Sweeps.DimSweep("dims", 8));
        var attemptId = await store.StartAttemptAsync(new AttemptStart("job-dim8", "host", 1, "cpu"));
        var image = new PreviewImage(1, 0, "a dog", "", 1, "euler_a", 20, 7, 64, 64, new ArtifactFile("dims/job-dim8/p0.png", 10, new string('a', 64)));
        var previewA = await store.RecordPreviewAsync(attemptId, image);
        var previewB = await store.RecordPreviewAsync(attemptId, image with { PromptIndex = 1, File = new ArtifactFile("dims/job-dim8/p1.png", 10, new string('b', 64)) });
        return (previewA, previewB);
    }
}
