using SweepRunner.Core.Results;
using SweepRunner.Store.Errors;

namespace SweepRunner.Store.Tests;

/// <summary>A results database on a real file system that runs out of space.</summary>
public sealed class ResultsStoreDiskFullTests
{
    [Fact]
    public async Task A_write_to_a_full_disk_fails_as_disk_full_and_everything_stored_before_survives()
    {
        using var disk = new SmallDisk(8);
        var results = Path.Combine(disk.Path, "results");
        var store = await ResultsStore.OpenAsync(results);
        for (var i = 0; i < 20; i++) await store.AddEventAsync(EventLevel.Info, $"stored before {i}");

        disk.Fill();
        var big = new string('x', 1 << 20);
        var error = await Assert.ThrowsAsync<ResultsDiskFullException>(async () =>
        {
            // The WAL may still have room for a little; megabyte messages need new pages.
            for (var i = 0; i < 20; i++) await store.AddEventAsync(EventLevel.Info, big);
        });
        Assert.Contains("the disk is full", error.Message);
        Assert.Contains("run the same command again to resume", error.Message);
        Assert.StartsWith(store.DatabasePath, error.Message);

        disk.Free();
        var reopened = await ResultsStore.OpenAsync(results);
        var events = await reopened.GetRecentEventsAsync(1000);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"stored before {i}").Order(), events.Select(e => e.Message).Where(m => m.StartsWith("stored before", StringComparison.Ordinal)).Order());
        await reopened.AddEventAsync(EventLevel.Info, "written after space was freed");
    }
}
