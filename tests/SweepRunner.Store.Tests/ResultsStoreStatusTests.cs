using SweepRunner.Core.Results;
using SweepRunner.Store.Tests.Support;

namespace SweepRunner.Store.Tests;

public sealed class ResultsStoreStatusTests
{
    private static SweepRegistration ThreeJobsAndADuplicate() => Sweeps.Sweep(
        "dims",
        Sweeps.Job(8, estimatedSeconds: 100),
        Sweeps.Job(16, estimatedSeconds: 200),
        Sweeps.Job(32, estimatedSeconds: 300),
        Sweeps.Job(8, estimatedSeconds: 100, label: "dim8 again", duplicateOf: "dim8"));

    [Fact]
    public async Task A_fresh_sweep_is_all_remaining_with_an_eta_from_the_estimates()
    {
        using var folder = new TemporaryFolder();
        var clock = ManualTimeProvider.AtSampleDate();
        var store = await ResultsStore.OpenAsync(folder.Path, clock);
        await store.RegisterSweepAsync(ThreeJobsAndADuplicate());

        var status = await store.GetSweepStatusAsync("dims");

        Assert.Equal((0, 0, 3), (status.DoneJobs, status.SucceededJobs, status.RemainingJobs));
        Assert.Equal((TimeSpan.FromSeconds(600), clock.GetUtcNow().AddSeconds(600), EtaBasis.Estimate), (status.RemainingTime, status.EstimatedCompletion, status.EtaBasis));
        Assert.All(status.Jobs, job => Assert.Equal((0L, 0.0, 0), (job.LastStep, job.Progress, job.Attempts.Count)));
    }

    [Fact]
    public async Task Status_shows_progress_and_durations_and_scales_the_eta_by_measured_speed()
    {
        using var folder = new TemporaryFolder();
        var clock = ManualTimeProvider.AtSampleDate();
        var store = await ResultsStore.OpenAsync(folder.Path, clock);
        await store.RegisterSweepAsync(ThreeJobsAndADuplicate());

        var first = await store.StartAttemptAsync(new AttemptStart("job-dim8", "host", 1, "cpu"));
        clock.Advance(TimeSpan.FromMinutes(2.5));
        await store.FinishAttemptAsync(first, AttemptOutcome.Succeeded, timings: new PhaseTimings(10, 10, 110, 15, 5));
        var second = await store.StartAttemptAsync(new AttemptStart("job-dim16", "host", 1, "cpu"));
        await store.AddMetricsAsync(second, [new MetricPoint(25, 2, 0.3, 1e-4, 2), new MetricPoint(50, 4, 0.2, 1e-4, 2)]);
        clock.Advance(TimeSpan.FromMinutes(1));

        var status = await store.GetSweepStatusAsync("dims");

        Assert.Equal((1, 1, 2), (status.DoneJobs, status.SucceededJobs, status.RemainingJobs));
        Assert.Equal(EtaBasis.MeasuredSpeed, status.EtaBasis);
        // dim8 took 150 s against an estimate of 100 s: what remains (half of 200 s, all of 300 s) is scaled by 1.5.
        Assert.Equal(600, status.RemainingTime.TotalSeconds, precision: 6);
        Assert.Equal(clock.GetUtcNow() + status.RemainingTime, status.EstimatedCompletion);

        var byLabel = status.Jobs.ToDictionary(job => job.Label);
        Assert.Equal((JobState.Succeeded, 1.0), (byLabel["dim8"].State, byLabel["dim8"].Progress));
        Assert.Equal((JobState.Succeeded, "dim8"), (byLabel["dim8 again"].State, byLabel["dim8 again"].DuplicateOfLabel));
        Assert.Equal((JobState.Running, 50L, 100L, 0.5), (byLabel["dim16"].State, byLabel["dim16"].LastStep, byLabel["dim16"].TotalSteps, byLabel["dim16"].Progress));
        Assert.Equal(TimeSpan.FromMinutes(2.5), Assert.Single(byLabel["dim8"].Attempts).Duration);
        var running = Assert.Single(byLabel["dim16"].Attempts);
        Assert.Equal((TimeSpan.FromMinutes(1), (AttemptOutcome?)null), (running.Duration, running.Outcome));
    }

    [Fact]
    public async Task A_finished_sweep_has_nothing_remaining_and_no_eta()
    {
        using var folder = new TemporaryFolder();
        var store = await ResultsStore.OpenAsync(folder.Path);
        await store.RegisterSweepAsync(Sweeps.DimSweep("dims", 8, 16));
        foreach (var (jobId, outcome) in new[] { ("job-dim8", AttemptOutcome.Succeeded), ("job-dim16", AttemptOutcome.TimedOut) })
        {
            var attemptId = await store.StartAttemptAsync(new AttemptStart(jobId, "host", 1, "cpu"));
            await store.FinishAttemptAsync(attemptId, outcome);
        }

        var status = await store.GetSweepStatusAsync("dims");

        Assert.Equal((2, 1, 0), (status.DoneJobs, status.SucceededJobs, status.RemainingJobs));
        Assert.Equal((TimeSpan.Zero, (DateTimeOffset?)null, EtaBasis.Finished), (status.RemainingTime, status.EstimatedCompletion, status.EtaBasis));
    }
}
