using SweepRunner.Core.Results;
using SweepRunner.Core.Scoring;
using SweepRunner.Store.Tests.Support;

namespace SweepRunner.Store.Tests;

/// <summary>Automatic scores: recorded once per preview, metric and model; what is left to score; the embedding cache.</summary>
public sealed class ResultsStoreAutoScoresTests
{
    static readonly string ModelA = new('a', 64), ModelB = new('b', 64);

    static async Task<(ResultsStore Store, long Attempt, List<long> Previews)> StoreWithPreviewsAsync(TemporaryFolder folder)
    {
        var store = await ResultsStore.OpenAsync(folder.Path);
        await store.RegisterSweepAsync(Sweeps.DimSweep("dims", 8));
        var attempt = await store.StartAttemptAsync(new AttemptStart("job-dim8", "host", 1, "cpu"));
        var previews = new List<long>();
        foreach (var epoch in new[] { 1, 2 })
            for (var prompt = 0; prompt < 2; prompt++)
                previews.Add(await store.RecordPreviewAsync(attempt, new PreviewImage(epoch, prompt, $"prompt {prompt}", "", 1, "ddim", 20, 7, 64, 64,
                    new ArtifactFile($"dims/job-dim8/sample/e{epoch}_{prompt}.png", 10, new string((char)('0' + epoch * 2 + prompt), 64)))));
        return (store, attempt, previews);
    }

    [Fact]
    public async Task A_score_is_recorded_once_per_preview_metric_and_model_and_scoring_again_changes_nothing()
    {
        using var folder = new TemporaryFolder();
        var (store, _, previews) = await StoreWithPreviewsAsync(folder);
        var scores = new List<AutoScore> { new(previews[2], AutoMetric.ClipI, ModelA, 0.7), new(previews[3], AutoMetric.ClipI, ModelA, 0.9) };

        Assert.Equal(2, await store.RecordAutoScoresAsync(scores));
        Assert.Equal(0, await store.RecordAutoScoresAsync([new(previews[2], AutoMetric.ClipI, ModelA, 0.1)]));
        // Another model's score of the same preview is kept apart.
        Assert.Equal(1, await store.RecordAutoScoresAsync([new(previews[2], AutoMetric.ClipI, ModelB, 0.5)]));

        var stored = await store.GetAutoScoresAsync("dims");
        Assert.Equal([0.7, 0.5, 0.9], stored.Select(score => score.Value));
        var left = await store.GetPreviewsWithoutAutoScoreAsync("dims", AutoMetric.ClipI, ModelA);
        Assert.Equal([previews[0], previews[1]], left.Select(preview => preview.PreviewId));
        Assert.Equal(4, (await store.GetPreviewsWithoutAutoScoreAsync("dims", AutoMetric.Dino, ModelA)).Count);
    }

    [Fact]
    public async Task A_jobs_automatic_score_is_the_mean_of_its_scored_epoch_else_its_latest()
    {
        using var folder = new TemporaryFolder();
        var (store, attempt, previews) = await StoreWithPreviewsAsync(folder);
        await store.FinishAttemptAsync(attempt, AttemptOutcome.Succeeded, timings: new PhaseTimings(1, 1, 1, 1, 1));
        await store.RecordAutoScoresAsync([
            new(previews[0], AutoMetric.Dino, ModelA, 0.2), new(previews[1], AutoMetric.Dino, ModelA, 0.4),
            new(previews[2], AutoMetric.Dino, ModelA, 0.6), new(previews[3], AutoMetric.Dino, ModelA, 0.8)]);

        var latest = (await store.GetSweepExportAsync("dims")).Rows.Single().AutoScores.Single();
        Assert.Equal((AutoMetric.Dino, 2L, 0.7, 2), (latest.Metric, latest.Epoch, latest.Mean, latest.Previews));
        Assert.Equal(0.7, (await store.GetSweepStatusAsync("dims")).Jobs.Single().AutoScores.Single().Mean, 12);

        // A person scored epoch 1: the automatic score of that epoch counts beside it.
        await store.AddPreviewScoreAsync(previews[0], new ScoreEntry("ann", 70, Blind: true, null));
        var scored = (await store.GetSweepExportAsync("dims")).Rows.Single().AutoScores.Single();
        Assert.Equal((1L, 0.3), (scored.Epoch, Math.Round(scored.Mean, 12)));
    }

    [Fact]
    public async Task A_score_of_an_unknown_preview_or_not_a_number_is_refused_and_nothing_is_written()
    {
        using var folder = new TemporaryFolder();
        var (store, _, previews) = await StoreWithPreviewsAsync(folder);
        var unknown = await Assert.ThrowsAsync<ResultsStoreException>(() => store.RecordAutoScoresAsync([new(previews[0], AutoMetric.ClipT, ModelA, 0.3), new(999, AutoMetric.ClipT, ModelA, 0.3)]));
        Assert.Contains("no preview with id 999", unknown.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => store.RecordAutoScoresAsync([new(previews[0], AutoMetric.ClipT, ModelA, double.NaN)]));
        Assert.Empty(await store.GetAutoScoresAsync("dims"));
    }

    [Fact]
    public async Task Embeddings_are_cached_per_model_and_image_bit_for_bit()
    {
        using var folder = new TemporaryFolder();
        var store = await ResultsStore.OpenAsync(folder.Path);
        var image = new string('e', 64);
        float[] vector = [0.1f, -0.25f, float.Epsilon, 1f / 3];
        Assert.Null(await store.GetImageEmbeddingAsync(ModelA, image));

        await store.RecordImageEmbeddingAsync(ModelA, image, vector);
        await store.RecordImageEmbeddingAsync(ModelA, image, [9f]);

        Assert.Equal(vector, await store.GetImageEmbeddingAsync(ModelA, image));
        Assert.Null(await store.GetImageEmbeddingAsync(ModelB, image));
    }
}
