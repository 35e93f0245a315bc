using SweepRunner.Store.Errors;
using SweepRunner.Core.Results;
using SweepRunner.Store.Tests.Support;

namespace SweepRunner.Store.Tests;

public sealed class ResultsStoreAttemptsTests
{
    [Fact]
    public async Task An_attempt_runs_the_job_and_its_end_sets_the_job_state_with_timings_and_error()
    {
        using var folder = new TemporaryFolder();
        var clock = ManualTimeProvider.AtSampleDate();
        var store = await ResultsStore.OpenAsync(folder.Path, clock);
        await store.RegisterSweepAsync(Sweeps.DimSweep("dims", 8));

        var attemptId = await store.StartAttemptAsync(new AttemptStart("job-dim8", "gpu-box", 4242, "cuda:0"));
        Assert.Equal(JobState.Running, await store.GetJobStateAsync("job-dim8"));
        clock.Advance(TimeSpan.FromMinutes(3));
        await store.FinishAttemptAsync(attemptId, AttemptOutcome.Diverged, "loss became NaN at step 57", new PhaseTimings(4, 5, 160, 8, 1));

        Assert.Equal(JobState.Diverged, await store.GetJobStateAsync("job-dim8"));
        var attempt = Assert.Single(await store.GetAttemptsAsync("job-dim8"));
        Assert.Equal(
            new AttemptRecord(
                attemptId, "job-dim8", "gpu-box", 4242, "cuda:0", 0,
                ManualTimeProvider.AtSampleDate().GetUtcNow(), clock.GetUtcNow(), clock.GetUtcNow(),
                AttemptOutcome.Diverged, "loss became NaN at step 57", new PhaseTimings(4, 5, 160, 8, 1)),
            attempt);
        Assert.Equal("2025-03-01T22:18:00.0000000Z", RawDatabase.Scalar<string>(folder.DatabasePath, "SELECT ended_at FROM attempts;"));
    }

    [Fact]
    public async Task Finishing_an_attempt_twice_fails_and_keeps_the_first_outcome()
    {
        using var folder = new TemporaryFolder();
        var store = await ResultsStore.OpenAsync(folder.Path);
        await store.RegisterSweepAsync(Sweeps.DimSweep("dims", 8));
        var attemptId = await store.StartAttemptAsync(new AttemptStart("job-dim8", "host", 1, "cpu"));
        await store.FinishAttemptAsync(attemptId, AttemptOutcome.Failed, "out of memory");

        var refusal = await Assert.ThrowsAsync<ResultsStoreException>(() => store.FinishAttemptAsync(attemptId, AttemptOutcome.Succeeded));

        Assert.Contains("already ended as 'failed'", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(AttemptOutcome.Failed, Assert.Single(await store.GetAttemptsAsync("job-dim8")).Outcome);
        Assert.Equal(JobState.Failed, await store.GetJobStateAsync("job-dim8"));
    }

    [Fact]
    public async Task Attempts_without_recent_heartbeats_are_marked_interrupted_and_their_jobs_too()
    {
        using var folder = new TemporaryFolder();
        var clock = ManualTimeProvider.AtSampleDate();
        var store = await ResultsStore.OpenAsync(folder.Path, clock);
        await store.RegisterSweepAsync(Sweeps.DimSweep("dims", 8, 16));
        var silent = await store.StartAttemptAsync(new AttemptStart("job-dim8", "host", 1, "cpu"));
        var alive = await store.StartAttemptAsync(new AttemptStart("job-dim16", "host", 2, "cpu"));
        var silentStart = clock.GetUtcNow();

        clock.Advance(TimeSpan.FromSeconds(50));
        Assert.True(await store.HeartbeatAsync(alive));
        clock.Advance(TimeSpan.FromSeconds(20));
        var stale = await store.MarkStaleAttemptsInterruptedAsync(TimeSpan.FromSeconds(60));

        Assert.Equal([new StaleAttempt(silent, "job-dim8", silentStart)], stale);
        Assert.Equal(JobState.Interrupted, await store.GetJobStateAsync("job-dim8"));
        Assert.Equal(JobState.Running, await store.GetJobStateAsync("job-dim16"));
        var interrupted = Assert.Single(await store.GetAttemptsAsync("job-dim8"));
        Assert.Equal(AttemptOutcome.Interrupted, interrupted.Outcome);
        Assert.Contains("no heartbeat since 2025-03-01T22:15:00", interrupted.ErrorText, StringComparison.Ordinal);
        Assert.False(await store.HeartbeatAsync(silent));
        Assert.Empty(await store.MarkStaleAttemptsInterruptedAsync(TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public async Task An_older_attempt_ending_late_does_not_overrule_the_newest()
    {
        using var folder = new TemporaryFolder();
        var store = await ResultsStore.OpenAsync(folder.Path);
        await store.RegisterSweepAsync(Sweeps.DimSweep("dims", 8));
        var older = await store.StartAttemptAsync(new AttemptStart("job-dim8", "host", 1, "cpu"));
        var newer = await store.StartAttemptAsync(new AttemptStart("job-dim8", "host", 2, "cpu"));

        await store.FinishAttemptAsync(newer, AttemptOutcome.Succeeded);
        await store.FinishAttemptAsync(older, AttemptOutcome.Failed, "killed");

        Assert.Equal(JobState.Succeeded, await store.GetJobStateAsync("job-dim8"));
    }

    [Fact]
    public async Task Starting_an_attempt_for_an_unknown_job_names_the_database_and_what_to_do()
    {
        using var folder = new TemporaryFolder();
        var store = await ResultsStore.OpenAsync(folder.Path);

        var refusal = await Assert.ThrowsAsync<ResultsStoreException>(() => store.StartAttemptAsync(new AttemptStart("job-x", "host", 1, "cpu")));

        Assert.Contains(folder.DatabasePath, refusal.Message, StringComparison.Ordinal);
        Assert.Contains("sweeprunner plan", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(0, RawDatabase.Scalar<int>(folder.DatabasePath, "SELECT count(*) FROM attempts;"));
    }
}
