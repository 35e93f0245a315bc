using SweepRunner.Core.Results;
using SweepRunner.Store.Tests.Support;

namespace SweepRunner.Store.Tests;

public sealed class ResultsStoreSpeedTests
{
    [Fact]
    public async Task Speed_samples_count_succeeded_attempts_and_only_the_steps_each_trained()
    {
        using var folder = new TemporaryFolder();
        var store = await ResultsStore.OpenAsync(folder.Path);
        await store.RegisterSweepAsync(Sweeps.DimSweep("dims", 8));
        await RunAsync(store, "job-dim8", "cpu", AttemptOutcome.Failed, trainSeconds: 99);
        await RunAsync(store, "job-dim8", "cpu", AttemptOutcome.Succeeded, trainSeconds: 30, resumedFromStep: 40);
        await RunAsync(store, "job-dim8", "cuda:0", AttemptOutcome.Succeeded, trainSeconds: 40);
        var settings = Sweeps.Job(8).SettingsJson;

        Assert.Equal([new SpeedSample("job-dim8", settings, 70, 160)], await store.GetSpeedSamplesAsync());
        Assert.Equal([new SpeedSample("job-dim8", settings, 30, 60)], await store.GetSpeedSamplesAsync(device: "cpu"));
        Assert.Empty(await store.GetSpeedSamplesAsync(device: "cuda:1"));
    }

    [Fact]
    public async Task Speed_samples_hold_one_row_per_measured_job_with_its_settings()
    {
        using var folder = new TemporaryFolder();
        var store = await ResultsStore.OpenAsync(folder.Path);
        await store.RegisterSweepAsync(Sweeps.DimSweep("dims", 8, 16, 32));
        await RunAsync(store, "job-dim8", "cpu", AttemptOutcome.Succeeded, trainSeconds: 50);
        await RunAsync(store, "job-dim16", "cpu", AttemptOutcome.Succeeded, trainSeconds: 20);
        await RunAsync(store, "job-dim32", "cpu", AttemptOutcome.Diverged, trainSeconds: 20);

        Assert.Equal(
            [new SpeedSample("job-dim16", Sweeps.Job(16).SettingsJson, 20, 100), new SpeedSample("job-dim8", Sweeps.Job(8).SettingsJson, 50, 100)],
            await store.GetSpeedSamplesAsync());
    }

    private static async Task RunAsync(ResultsStore store, string jobId, string device, AttemptOutcome outcome, double trainSeconds, long resumedFromStep = 0)
    {
        var attemptId = await store.StartAttemptAsync(new AttemptStart(jobId, "host", 1, device, resumedFromStep));
        await store.FinishAttemptAsync(attemptId, outcome, timings: new PhaseTimings(1, 2, trainSeconds, 3, 4));
    }
}
