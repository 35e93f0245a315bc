using SweepRunner.Store.Errors;
using SweepRunner.Core.Results;
using SweepRunner.Store.Tests.Support;

namespace SweepRunner.Store.Tests;

public sealed class ResultsStoreEventsTests
{
    [Fact]
    public async Task Events_are_listed_per_sweep_oldest_first_with_utc_times()
    {
        using var folder = new TemporaryFolder();
        var clock = new ManualTimeProvider(new DateTimeOffset(2025, 3, 1, 23, 15, 0, TimeSpan.FromHours(1)));
        var store = await ResultsStore.OpenAsync(folder.Path, clock);
        await store.RegisterSweepAsync(Sweeps.DimSweep("dims", 8));
        await store.RegisterSweepAsync(Sweeps.DimSweep("other", 16));

        await store.AddEventAsync(EventLevel.Info, "sweep started", "dims");
        clock.Advance(TimeSpan.FromSeconds(1));
        await store.AddEventAsync(EventLevel.Warning, "other sweep note", "other");
        await store.AddEventAsync(EventLevel.Error, "out of memory", "dims", "job-dim8");
        await store.AddEventAsync(EventLevel.Debug, "no sweep");

        Assert.Equal(
            [(EventLevel.Info, "sweep started", (string?)null), (EventLevel.Error, "out of memory", "job-dim8")],
            (await store.GetRecentEventsAsync(10, "dims")).Select(entry => (entry.Level, entry.Message, entry.JobId)));
        Assert.Equal(["out of memory", "no sweep"], (await store.GetRecentEventsAsync(2)).Select(entry => entry.Message));
        Assert.Equal("2025-03-01T22:15:00.0000000Z", RawDatabase.Scalar<string>(folder.DatabasePath, "SELECT min(occurred_at) FROM events;"));
    }

    [Fact]
    public async Task An_event_for_an_unknown_sweep_is_refused()
    {
        using var folder = new TemporaryFolder();
        var store = await ResultsStore.OpenAsync(folder.Path);

        await Assert.ThrowsAsync<ResultsStoreException>(() => store.AddEventAsync(EventLevel.Info, "x", "nowhere"));

        Assert.Empty(await store.GetRecentEventsAsync(10));
    }
}
