using Microsoft.Data.Sqlite;
using SweepRunner.Core.Results;
using SweepRunner.Store.Tests.Support;

namespace SweepRunner.Store.Tests;

public sealed class ResultsStoreMetricsTests
{
    [Fact]
    public async Task A_metrics_batch_reads_back_in_step_order_with_nan_loss_as_null()
    {
        using var folder = new TemporaryFolder();
        var store = await ResultsStore.OpenAsync(folder.Path);
        await store.RegisterSweepAsync(Sweeps.DimSweep("dims", 8));
        var attemptId = await store.StartAttemptAsync(new AttemptStart("job-dim8", "host", 1, "cpu"));

        await store.AddMetricsAsync(attemptId, [new MetricPoint(20, 1, double.NaN, 5e-5, 2), new MetricPoint(10, 0, 0.25, 1e-4, 2.5)]);
        await store.AddMetricsAsync(attemptId, [new MetricPoint(30, 2, double.PositiveInfinity, 2e-5, 2.25)]);

        Assert.Equal(
            [new MetricPoint(10, 0, 0.25, 1e-4, 2.5), new MetricPoint(20, 1, null, 5e-5, 2), new MetricPoint(30, 2, double.PositiveInfinity, 2e-5, 2.25)],
            await store.GetMetricsAsync(attemptId));
    }

    [Fact]
    public async Task A_metrics_batch_counts_as_a_heartbeat()
    {
        using var folder = new TemporaryFolder();
        var clock = ManualTimeProvider.AtSampleDate();
        var store = await ResultsStore.OpenAsync(folder.Path, clock);
        await store.RegisterSweepAsync(Sweeps.DimSweep("dims", 8));
        var attemptId = await store.StartAttemptAsync(new AttemptStart("job-dim8", "host", 1, "cpu"));

        clock.Advance(TimeSpan.FromMinutes(5));
        await store.AddMetricsAsync(attemptId, [new MetricPoint(1, 0, 0.3, 1e-4, 2)]);
        clock.Advance(TimeSpan.FromSeconds(30));

        Assert.Empty(await store.MarkStaleAttemptsInterruptedAsync(TimeSpan.FromMinutes(1)));
        Assert.Equal(clock.GetUtcNow() - TimeSpan.FromSeconds(30), Assert.Single(await store.GetAttemptsAsync("job-dim8")).HeartbeatAt);
    }

    [Fact]
    public async Task A_batch_with_one_invalid_point_writes_none_of_the_batch()
    {
        using var folder = new TemporaryFolder();
        var store = await ResultsStore.OpenAsync(folder.Path);
        await store.RegisterSweepAsync(Sweeps.DimSweep("dims", 8));
        var attemptId = await store.StartAttemptAsync(new AttemptStart("job-dim8", "host", 1, "cpu"));

        var failure = await Assert.ThrowsAsync<SqliteException>(() => store.AddMetricsAsync(
            attemptId,
            [new MetricPoint(1, 0, 0.3, 1e-4, 2), new MetricPoint(2, 0, 0.29, 1e-4, 2), new MetricPoint(-3, 0, 0.28, 1e-4, 2)]));

        Assert.Equal(19, failure.SqliteErrorCode); // SQLITE_CONSTRAINT: the CHECK on step
        Assert.Empty(await store.GetMetricsAsync(attemptId));
    }
}
