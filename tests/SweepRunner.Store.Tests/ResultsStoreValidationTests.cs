using SweepRunner.Core.Results;
using SweepRunner.Store.Tests.Support;

namespace SweepRunner.Store.Tests;

/// <summary>Validation losses: recorded per attempt and epoch, read as one history per job, taken over by a continuing job.</summary>
public sealed class ResultsStoreValidationTests
{
    [Fact]
    public async Task A_jobs_validation_history_runs_over_its_attempts_with_the_latest_figure_of_each_epoch()
    {
        using var folder = new TemporaryFolder();
        var store = await ResultsStore.OpenAsync(folder.Path, ManualTimeProvider.AtSampleDate());
        await store.RegisterSweepAsync(Sweeps.DimSweep("dims", 8));
        var first = await store.StartAttemptAsync(new AttemptStart("job-dim8", "host", 1, "cpu"));
        await store.RecordValidationLossAsync(first, new ValidationLoss(1, 10, 0.30, 2));
        await store.RecordValidationLossAsync(first, new ValidationLoss(2, 20, 0.25, 2));
        await store.FinishAttemptAsync(first, AttemptOutcome.Interrupted, "stopped");
        // The resumed attempt validates epoch 2 again (it resumed inside it) and goes on; epoch 4's loss was not a number.
        var resumed = await store.StartAttemptAsync(new AttemptStart("job-dim8", "host", 1, "cpu", 15));
        await store.RecordValidationLossAsync(resumed, new ValidationLoss(2, 20, 0.20, 2));
        await store.RecordValidationLossAsync(resumed, new ValidationLoss(3, 30, 0.22, 2));
        await store.RecordValidationLossAsync(resumed, new ValidationLoss(4, 40, double.NaN, 2));
        await store.FinishAttemptAsync(resumed, AttemptOutcome.Succeeded, timings: new PhaseTimings(1, 1, 1, 1, 1));

        var job = (await store.GetSweepReportDataAsync("dims")).Jobs.Single();

        Assert.Equal([new ValidationLoss(1, 10, 0.30, 2), new ValidationLoss(2, 20, 0.20, 2), new ValidationLoss(3, 30, 0.22, 2), new ValidationLoss(4, 40, null, 2)],
            job.Validation);
        Assert.Equal(2L, job.BestEpoch);
    }

    [Fact]
    public async Task A_job_without_a_validation_set_has_no_history_and_no_best_epoch()
    {
        using var folder = new TemporaryFolder();
        var store = await ResultsStore.OpenAsync(folder.Path);
        await store.RegisterSweepAsync(Sweeps.DimSweep("dims", 8));
        var attempt = await store.StartAttemptAsync(new AttemptStart("job-dim8", "host", 1, "cpu"));
        await store.FinishAttemptAsync(attempt, AttemptOutcome.Succeeded, timings: new PhaseTimings(1, 1, 1, 1, 1));

        var job = (await store.GetSweepReportDataAsync("dims")).Jobs.Single();
        Assert.Empty(job.Validation);
        Assert.Null(job.BestEpoch);
        var error = await Assert.ThrowsAsync<ResultsStoreException>(() => store.RecordValidationLossAsync(attempt + 5, new ValidationLoss(1, 1, 0.1, 1)));
        Assert.Contains("no attempt with id", error.Message);
    }

    [Fact]
    public async Task A_continuing_job_takes_over_the_validation_losses_of_the_shared_epochs_once()
    {
        using var folder = new TemporaryFolder();
        var store = await ResultsStore.OpenAsync(folder.Path);
        await store.RegisterSweepAsync(Sweeps.DimSweep("dims", 8, 16));
        var shorter = await store.StartAttemptAsync(new AttemptStart("job-dim8", "host", 1, "cpu"));
        foreach (var epoch in new[] { 1, 2, 3 }) await store.RecordValidationLossAsync(shorter, new ValidationLoss(epoch, epoch * 10, 1.0 / epoch, 2));
        await store.FinishAttemptAsync(shorter, AttemptOutcome.Succeeded, timings: new PhaseTimings(1, 1, 1, 1, 1));
        var longer = await store.StartAttemptAsync(new AttemptStart("job-dim16", "host", 1, "cpu", 20));

        var shared = await store.CopySharedHistoryAsync("job-dim8", longer, 20, 2, withLastEpochCheckpoint: true);
        Assert.Equal(2, shared.ValidationLosses);
        Assert.Equal(0, (await store.CopySharedHistoryAsync("job-dim8", longer, 20, 2, withLastEpochCheckpoint: true)).ValidationLosses);
        await store.RecordValidationLossAsync(longer, new ValidationLoss(3, 30, 0.4, 2));
        await store.FinishAttemptAsync(longer, AttemptOutcome.Succeeded, timings: new PhaseTimings(1, 1, 1, 1, 1));

        var job = (await store.GetSweepReportDataAsync("dims")).Jobs.Single(j => j.JobId == "job-dim16");
        Assert.Equal([new ValidationLoss(1, 10, 1.0, 2), new ValidationLoss(2, 20, 0.5, 2), new ValidationLoss(3, 30, 0.4, 2)], job.Validation);
    }
}
