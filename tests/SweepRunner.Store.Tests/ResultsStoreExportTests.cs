using SweepRunner.Core.Results;
using SweepRunner.Core.Scoring;
using SweepRunner.Store.Tests.Support;

namespace SweepRunner.Store.Tests;

public sealed class ResultsStoreExportTests
{
    [Fact]
    public async Task Export_rows_report_the_latest_succeeded_attempt_and_leave_untrained_jobs_empty()
    {
        using var folder = new TemporaryFolder();
        var clock = ManualTimeProvider.AtSampleDate();
        var store = await ResultsStore.OpenAsync(folder.Path, clock);
        await store.RegisterSweepAsync(Sweeps.DimSweep("dims", 8, 16));
        var good = await store.StartAttemptAsync(new AttemptStart("job-dim8", "host", 1, "cpu"));
        await store.AddMetricsAsync(good, [new MetricPoint(50, 4, 0.3, 1e-4, 2), new MetricPoint(100, 9, 0.1, 1e-4, 2)]);
        await store.FinishAttemptAsync(good, AttemptOutcome.Succeeded, timings: new PhaseTimings(1, 2, 3, 4, 5));
        var failed = await store.StartAttemptAsync(new AttemptStart("job-dim8", "host", 2, "cpu"));
        await store.AddMetricsAsync(failed, [new MetricPoint(20, 1, 0.9, 1e-4, 2)]);
        await store.FinishAttemptAsync(failed, AttemptOutcome.Failed, "out of memory", new PhaseTimings(9, 9, 9, 9, 9));
        await store.AddJobScoreAsync("job-dim8", new ScoreEntry("alice", 64, Blind: true));

        var export = await store.GetSweepExportAsync("dims");

        Assert.Equal(("dims", clock.GetUtcNow()), (export.SweepName, export.ExportedAt));
        Assert.Equal(
            new ExportRow("dim8", "job-dim8", null, JobState.Failed, Sweeps.Job(8).SettingsJson, Sweeps.Job(8).DiffJson, 10, 100, 60, 2,
                new PhaseTimings(1, 2, 3, 4, 5), 100, 0.1, JobScore.None),
            export.Rows[0] with { Score = JobScore.None });
        Assert.Equal([new ScorerMean("alice", 64, 1)], export.Rows[0].Scores);
        Assert.Equal((64.0, 1), (export.Rows[0].OverallScore!.Value, export.Rows[0].Score.Summary.N));
        Assert.Equal(
            new ExportRow("dim16", "job-dim16", null, JobState.Planned, Sweeps.Job(16).SettingsJson, Sweeps.Job(16).DiffJson, 10, 100, 60, 0,
                null, null, null, JobScore.None),
            export.Rows[1]);
        Assert.Empty(export.Rows[1].Scores);
    }
}
