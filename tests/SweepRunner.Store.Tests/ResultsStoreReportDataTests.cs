using SweepRunner.Core.Results;
using SweepRunner.Store.Tests.Support;

namespace SweepRunner.Store.Tests;

public sealed class ResultsStoreReportDataTests
{
    private static readonly string Hash = new('a', 64);

    [Fact]
    public async Task Report_data_holds_latest_individual_scores_previews_loss_of_the_representative_attempt_and_failures()
    {
        using var folder = new TemporaryFolder();
        var store = await ResultsStore.OpenAsync(folder.Path, ManualTimeProvider.AtSampleDate());
        await store.RegisterSweepAsync(Sweeps.DimSweep("dims", 8, 16, 32));

        var failed = await store.StartAttemptAsync(new AttemptStart("job-dim8", "host", 1, "cpu"));
        await store.AddMetricsAsync(failed, [new MetricPoint(10, 0, 0.9, 1e-4, 2)]);
        await store.FinishAttemptAsync(failed, AttemptOutcome.Failed, "out of memory", new PhaseTimings(1, 1, 99, 1, 1));
        var good = await store.StartAttemptAsync(new AttemptStart("job-dim8", "host", 2, "cpu"));
        await store.AddMetricsAsync(good, [new MetricPoint(10, 0, 0.5, 1e-4, 2), new MetricPoint(20, 1, double.NaN, 1e-4, 2), new MetricPoint(30, 2, 0.2, 1e-4, 2)]);
        var preview0 = await store.RecordPreviewAsync(good, Preview(epoch: 1, prompt: 0, "dims/dim8/sample/a_e000001_00.png"));
        var preview1 = await store.RecordPreviewAsync(good, Preview(epoch: 2, prompt: 0, "dims/dim8/sample/a_e000002_00.png"));
        await store.FinishAttemptAsync(good, AttemptOutcome.Succeeded, timings: new PhaseTimings(1, 2, 30, 4, 5));

        await store.AddPreviewScoreAsync(preview0, new ScoreEntry("alice", 40, Blind: true, "first"));
        await store.AddPreviewScoreAsync(preview0, new ScoreEntry("alice", 60, Blind: true, "changed my mind"));
        await store.AddPreviewScoreAsync(preview1, new ScoreEntry("bob", 80, Blind: false));
        await store.AddJobScoreAsync("job-dim8", new ScoreEntry("carol", 70, Blind: false, "<script>alert(1)</script>"));

        var diverged = await store.StartAttemptAsync(new AttemptStart("job-dim16", "host", 3, "cpu"));
        await store.FinishAttemptAsync(diverged, AttemptOutcome.Diverged, "loss is NaN at step 12", new PhaseTimings(1, 0, 5, 0, 0));

        var data = await store.GetSweepReportDataAsync("dims");

        Assert.Equal(["dim8", "dim16", "dim32"], data.Export.Rows.Select(row => row.Label));
        Assert.Equal(["dim8", "dim16", "dim32"], data.Jobs.Select(job => job.Label));
        var dim8 = data.Jobs[0];
        var dim8Score = data.Export.Rows[0].Score;
        Assert.Equal(
            [("alice", 60.0, (long?)preview0, (long?)1, "changed my mind", true), ("bob", 80, preview1, 2, null, false), ("carol", 70, null, null, "<script>alert(1)</script>", false)],
            dim8Score.Latest.Select(score => (score.Scorer, score.Value, score.PreviewId, score.Epoch, score.Note, score.Blind)));
        // carol's score names no epoch, so it judges the final LoRA (epoch 2, the last previews): epoch 2 counts, epoch 1 is shown.
        Assert.Equal(2L, dim8Score.Epoch);
        Assert.Equal(["bob", "carol"], dim8Score.Counted.Select(score => score.Scorer));
        Assert.Equal([(1L, 60.0)], dim8Score.OtherEpochs.Select(epoch => (epoch.Epoch, epoch.Summary.Mean!.Value)));
        Assert.Equal(
            [new ReportPreview(preview0, 1, 0, "a photo of sks person", 7, 64, 48, "dims/dim8/sample/a_e000001_00.png"),
             new ReportPreview(preview1, 2, 0, "a photo of sks person", 7, 64, 48, "dims/dim8/sample/a_e000002_00.png")],
            dim8.Previews);
        Assert.Equal([new LossPoint(10, 0, 0.5), new LossPoint(20, 1, null), new LossPoint(30, 2, 0.2)], dim8.Loss);
        Assert.Equal((30.0, AttemptOutcome.Succeeded, (string?)null), (dim8.TrainSeconds!.Value, dim8.Outcome!.Value, dim8.ErrorText));
        Assert.Equal([(failed, AttemptOutcome.Failed, "out of memory")], dim8.Failures.Select(f => (f.AttemptId, f.Outcome, f.ErrorText)));

        var dim16 = data.Jobs[1];
        Assert.Equal((5.0, AttemptOutcome.Diverged, "loss is NaN at step 12"), (dim16.TrainSeconds!.Value, dim16.Outcome!.Value, dim16.ErrorText));
        Assert.Single(dim16.Failures);
        Assert.Equal(SweepRunner.Core.Scoring.JobScore.None, data.Export.Rows[1].Score);

        var dim32 = data.Jobs[2];
        Assert.Equal((null, null, null), (dim32.TrainSeconds, dim32.Outcome, dim32.ErrorText));
        Assert.Empty(dim32.Loss);
        Assert.Empty(dim32.Previews);
        Assert.Empty(dim32.Failures);
    }

    [Fact]
    public async Task The_loss_curve_of_a_resumed_job_runs_over_its_attempts_with_the_latest_figures_of_a_repeated_step()
    {
        using var folder = new TemporaryFolder();
        var store = await ResultsStore.OpenAsync(folder.Path, ManualTimeProvider.AtSampleDate());
        await store.RegisterSweepAsync(Sweeps.DimSweep("dims", 8));
        var stopped = await store.StartAttemptAsync(new AttemptStart("job-dim8", "host", 1, "cpu"));
        await store.AddMetricsAsync(stopped, [new MetricPoint(1, 1, 0.9, 1e-4, 2), new MetricPoint(2, 1, 0.8, 1e-4, 2), new MetricPoint(3, 1, 0.7, 1e-4, 2)]);
        await store.FinishAttemptAsync(stopped, AttemptOutcome.Interrupted, "stopped at step 3");
        // Resumed from the state saved at step 2: step 3 is trained again.
        var resumed = await store.StartAttemptAsync(new AttemptStart("job-dim8", "host", 2, "cpu", 2));
        await store.AddMetricsAsync(resumed, [new MetricPoint(3, 1, 0.6, 1e-4, 2), new MetricPoint(4, 2, 0.5, 1e-4, 2)]);
        await store.FinishAttemptAsync(resumed, AttemptOutcome.Succeeded, timings: new PhaseTimings(1, 1, 1, 1, 1));

        var loss = (await store.GetSweepReportDataAsync("dims")).Jobs.Single().Loss;

        Assert.Equal([new LossPoint(1, 1, 0.9), new LossPoint(2, 1, 0.8), new LossPoint(3, 1, 0.6), new LossPoint(4, 2, 0.5)], loss);
    }

    [Fact]
    public async Task Scores_given_to_the_LoRA_of_one_epoch_count_separately_per_epoch()
    {
        using var folder = new TemporaryFolder();
        var store = await ResultsStore.OpenAsync(folder.Path, ManualTimeProvider.AtSampleDate());
        await store.RegisterSweepAsync(Sweeps.DimSweep("dims", 8));
        // Migration 0004 adds scores.epoch; written here directly so the test holds before and after it.
        if (RawDatabase.Scalar<long>(store.DatabasePath, "SELECT count(*) FROM pragma_table_info('scores') WHERE name = 'epoch';") == 0)
        {
            RawDatabase.Execute(store.DatabasePath, "ALTER TABLE scores ADD COLUMN epoch INTEGER;");
        }

        const string insert = "INSERT INTO scores (job_id, preview_id, scorer, value, blind, note, scored_at, epoch) VALUES ('job-dim8', NULL, 'alice', @Value, 0, NULL, '2025-03-01T22:15:00.0000000Z', @Epoch);";
        RawDatabase.Execute(store.DatabasePath, insert, new { Value = 10.0, Epoch = 2 });
        RawDatabase.Execute(store.DatabasePath, insert, new { Value = 20.0, Epoch = 4 });
        RawDatabase.Execute(store.DatabasePath, insert, new { Value = 30.0, Epoch = 4 });

        var data = await store.GetSweepReportDataAsync("dims");

        var score = data.Export.Rows[0].Score;
        Assert.Equal([(2L, 10.0), (4L, 30.0)], score.Latest.Select(latest => (latest.Epoch!.Value, latest.Value)));
        Assert.Equal((4L, 30.0), (score.Epoch!.Value, Assert.Single(score.Counted).Value));
    }

    [Fact]
    public async Task Report_data_of_an_unknown_sweep_names_the_known_ones()
    {
        using var folder = new TemporaryFolder();
        var store = await ResultsStore.OpenAsync(folder.Path);
        await store.RegisterSweepAsync(Sweeps.DimSweep("dims", 8));

        var error = await Assert.ThrowsAsync<SweepRunner.Core.Results.ResultsStoreException>(() => store.GetSweepReportDataAsync("nope"));

        Assert.Contains("'nope'", error.Message);
        Assert.Contains("dims", error.Message);
    }

    private static PreviewImage Preview(long epoch, int prompt, string path) =>
        new(epoch, prompt, "a photo of sks person", "", 7, "ddim", 20, 7.5, 64, 48, new ArtifactFile(path, 100, Hash));
}
