using SweepRunner.Store.Errors;
using SweepRunner.Core.Results;
using SweepRunner.Store.Tests.Support;

namespace SweepRunner.Store.Tests;

public sealed class ResultsStoreGalleryTests
{
    [Fact]
    public async Task The_gallery_lists_jobs_in_plan_order_with_diff_state_and_previews_by_epoch_and_prompt()
    {
        using var folder = new TemporaryFolder();
        var store = await ResultsStore.OpenAsync(folder.Path);
        var baseline = Sweeps.Job(4, label: "base") with { DiffJson = "{}" };
        await store.RegisterSweepAsync(Sweeps.Sweep("dims", baseline, Sweeps.Job(8), Sweeps.Job(16)));
        var attempt = await store.StartAttemptAsync(new AttemptStart("job-dim8", "host", 1, "cpu"));
        var late = await store.RecordPreviewAsync(attempt, Preview(epoch: 2, promptIndex: 0));
        var early1 = await store.RecordPreviewAsync(attempt, Preview(epoch: 1, promptIndex: 1));
        var early0 = await store.RecordPreviewAsync(attempt, Preview(epoch: 1, promptIndex: 0));

        var gallery = await store.GetSweepGalleryAsync("dims");

        Assert.Equal("dims", gallery.Sweep);
        Assert.Equal(["base", "dim8", "dim16"], gallery.Jobs.Select(job => job.Label));
        Assert.Equal("{}", gallery.Jobs[0].DiffJson);
        Assert.Equal("""{"network_dim":8}""", gallery.Jobs[1].DiffJson);
        Assert.Equal([JobState.Planned, JobState.Running, JobState.Planned], gallery.Jobs.Select(job => job.State));
        Assert.Empty(gallery.Jobs[0].Previews);
        Assert.Equal([early0, early1, late], gallery.Jobs[1].Previews.Select(preview => preview.PreviewId));
        Assert.Equal("sweep/dim8/e2-p0.png", gallery.Jobs[1].Previews[2].Image.File.RelativePath);
    }

    [Fact]
    public async Task Previews_recorded_after_a_read_appear_in_the_next_read()
    {
        using var folder = new TemporaryFolder();
        var store = await ResultsStore.OpenAsync(folder.Path);
        await store.RegisterSweepAsync(Sweeps.DimSweep("dims", 8));
        var attempt = await store.StartAttemptAsync(new AttemptStart("job-dim8", "host", 1, "cpu"));
        await store.RecordPreviewAsync(attempt, Preview(epoch: 1, promptIndex: 0));
        Assert.Single(Assert.Single((await store.GetSweepGalleryAsync("dims")).Jobs).Previews);

        await store.RecordPreviewAsync(attempt, Preview(epoch: 2, promptIndex: 0));

        Assert.Equal(2, Assert.Single((await store.GetSweepGalleryAsync("dims")).Jobs).Previews.Count);
    }

    [Fact]
    public async Task A_preview_is_found_by_id_and_an_unknown_id_gives_null()
    {
        using var folder = new TemporaryFolder();
        var store = await ResultsStore.OpenAsync(folder.Path);
        await store.RegisterSweepAsync(Sweeps.DimSweep("dims", 8));
        var attempt = await store.StartAttemptAsync(new AttemptStart("job-dim8", "host", 1, "cpu"));
        var id = await store.RecordPreviewAsync(attempt, Preview(epoch: 3, promptIndex: 1));

        var found = await store.FindPreviewAsync(id);

        Assert.NotNull(found);
        Assert.Equal(("job-dim8", 3L, 1, "sweep/dim8/e3-p1.png"), (found.JobId, found.Image.Epoch, found.Image.PromptIndex, found.Image.File.RelativePath));
        Assert.Null(await store.FindPreviewAsync(id + 100));
    }

    [Fact]
    public async Task The_latest_preview_score_per_scorer_is_listed_for_the_sweep_only()
    {
        using var folder = new TemporaryFolder();
        var store = await ResultsStore.OpenAsync(folder.Path);
        await store.RegisterSweepAsync(Sweeps.DimSweep("dims", 8));
        await store.RegisterSweepAsync(Sweeps.DimSweep("other", 16));
        var attempt = await store.StartAttemptAsync(new AttemptStart("job-dim8", "host", 1, "cpu"));
        var preview = await store.RecordPreviewAsync(attempt, Preview(epoch: 1, promptIndex: 0));
        var otherAttempt = await store.StartAttemptAsync(new AttemptStart("job-dim16", "host", 1, "cpu"));
        var otherPreview = await store.RecordPreviewAsync(otherAttempt, Preview(epoch: 1, promptIndex: 0) with
        {
            File = new ArtifactFile("other/dim16/e1-p0.png", 10, new string('c', 64)),
        });
        await store.AddPreviewScoreAsync(preview, new ScoreEntry("alice", 30, Blind: true));
        await store.AddPreviewScoreAsync(preview, new ScoreEntry("alice", 70, Blind: true, "better on a second look"));
        await store.AddPreviewScoreAsync(preview, new ScoreEntry("bob", 50, Blind: false));
        await store.AddPreviewScoreAsync(otherPreview, new ScoreEntry("alice", 10, Blind: false));
        await store.AddJobScoreAsync("job-dim8", new ScoreEntry("alice", 90, Blind: false));

        var scores = await store.GetLatestPreviewScoresAsync("dims");

        Assert.Equal(
            [(preview, "alice", 70.0, true, "better on a second look"), (preview, "bob", 50.0, false, null)],
            scores.Select(score => ((long)score.PreviewId!, score.Scorer, score.Value, score.Blind, score.Note)));
    }

    [Fact]
    public async Task An_unknown_sweep_is_refused_with_the_database_and_what_to_do()
    {
        using var folder = new TemporaryFolder();
        var store = await ResultsStore.OpenAsync(folder.Path);

        var refusal = await Assert.ThrowsAsync<ResultsStoreException>(() => store.GetSweepGalleryAsync("missing"));

        Assert.Contains(folder.DatabasePath, refusal.Message, StringComparison.Ordinal);
        Assert.Contains("sweeprunner plan", refusal.Message, StringComparison.Ordinal);
    }

    private static PreviewImage Preview(long epoch, int promptIndex) =>
        new(epoch, promptIndex, $"prompt {promptIndex}", "", 1000 + promptIndex, "euler_a", 20, 7, 64, 64,
            new ArtifactFile($"sweep/dim8/e{epoch}-p{promptIndex}.png", 10, new string('a', 64)));
}
