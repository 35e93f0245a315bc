using SweepRunner.Core.Results;
using SweepRunner.Store.Tests.Support;

namespace SweepRunner.Store.Tests;

public sealed class ResultsStoreSpeedTests
{
    [Fact]
    public async Task Job_speed_counts_succeeded_attempts_and_only_the_steps_each_trained()
    {
        using var folder = new TemporaryFolder();
        var store = await ResultsStore.OpenAsync(folder.Path);
        await store.RegisterSweepAsync(Sweeps.DimSweep("dims", 8));
        await RunAsync(store, "job-dim8", "cpu", AttemptOutcome.Failed, trainSeconds: 99);
        await RunAsync(store, "job-dim8", "cpu", AttemptOutcome.Succeeded, trainSeconds: 30, resumedFromStep: 40);
        await RunAsync(store, "job-dim8", "cuda:0", AttemptOutcome.Succeeded, trainSeconds: 40);

        Assert.Equal(new MeasuredSpeed(70.0 / 160, 10, 160, 2), await store.GetJobSpeedAsync("job-dim8"));
        Assert.Equal(new MeasuredSpeed(0.5, 10, 60, 1), await store.GetJobSpeedAsync("job-dim8", device: "cpu"));
        Assert.Null(await store.GetJobSpeedAsync("job-dim8", device: "cuda:1"));
    }

    [Fact]
    public async Task Speed_for_settings_averages_the_jobs_that_agree_on_the_chosen_keys()
    {
        using var folder = new TemporaryFolder();
        var store = await ResultsStore.OpenAsync(folder.Path);
        await store.RegisterSweepAsync(Sweeps.DimSweep("dims", 8, 16, 32));
        await RunAsync(store, "job-dim8", "cpu", AttemptOutcome.Succeeded, trainSeconds: 50);
        await RunAsync(store, "job-dim16", "cpu", AttemptOutcome.Succeeded, trainSeconds: 20);
        var dim8Settings = Sweeps.Job(8).SettingsJson;

        Assert.Equal(0.5, (await store.GetSpeedForSettingsAsync(dim8Settings, ["network_dim"]))!.SecondsPerStep, precision: 12);
        Assert.Equal(0.35, (await store.GetSpeedForSettingsAsync(dim8Settings, ["learning_rate", "optimizer_type"]))!.SecondsPerStep, precision: 12);
        Assert.Equal(2, (await store.GetSpeedForSettingsAsync(dim8Settings, []))!.AttemptsMeasured);
        Assert.Null(await store.GetSpeedForSettingsAsync(Sweeps.Job(32).SettingsJson, ["network_dim"]));
        Assert.Null(await store.GetSpeedForSettingsAsync("""{"network_dim":8,"optimizer_type":"Lion"}""", ["network_dim", "optimizer_type"]));
    }

    private static async Task RunAsync(ResultsStore store, string jobId, string device, AttemptOutcome outcome, double trainSeconds, long resumedFromStep = 0)
    {
        var attemptId = await store.StartAttemptAsync(new AttemptStart(jobId, "host", 1, device, resumedFromStep));
        await store.FinishAttemptAsync(attemptId, outcome, timings: new PhaseTimings(1, 2, trainSeconds, 3, 4));
    }
}
