using SweepRunner.Store.Tests.Support;

namespace SweepRunner.Store.Tests;

public sealed class ResultsStoreReplicatesTests
{
    [Fact]
    public async Task Each_label_keeps_its_replicate_group_and_index_and_a_sweep_without_replicates_reads_as_replicate_one()
    {
        using var folder = new TemporaryFolder();
        var store = await ResultsStore.OpenAsync(folder.Path);
        await store.RegisterSweepAsync(Sweeps.Sweep("seeds",
            Sweeps.Job(8, label: "a") with { ReplicateGroup = "a", Replicate = 1 },
            Sweeps.Job(16, label: "a-r2") with { ReplicateGroup = "a", Replicate = 2 },
            Sweeps.Job(32, label: "single")));

        var rows = (await store.GetSweepExportAsync("seeds")).Rows;

        Assert.Equal([("a", "a", 1), ("a-r2", "a", 2), ("single", null, 1)], rows.Select(r => (r.Label, r.ReplicateGroup, r.Replicate)));
        Assert.Equal(2, RawDatabase.Scalar<int>(folder.DatabasePath, "SELECT count(*) FROM sweep_jobs WHERE replicate_group = 'a';"));
    }
}
