using SweepRunner.Core.Results;

namespace SweepRunner.Store.Tests;

/// <summary>A results folder on a read-only mount: reading works, writing says in one line what is not writable.</summary>
public sealed class ResultsStoreReadOnlyTests
{
    private static async Task<TemporaryFolder> FolderWithOneSucceededJobAsync()
    {
        var folder = new TemporaryFolder();
        var store = await ResultsStore.OpenAsync(folder.Path);
        await store.RegisterSweepAsync(Sweeps.Sweep("dims", Sweeps.Job(8, estimatedSeconds: 100)));
        var attempt = await store.StartAttemptAsync(new AttemptStart("job-dim8", "host", 1, "cpu"));
        await store.FinishAttemptAsync(attempt, AttemptOutcome.Succeeded);
        return folder;
    }

    [Fact]
    public async Task A_read_only_folder_is_read_through_a_read_only_store_whose_writes_fail_with_one_line()
    {
        using var folder = await FolderWithOneSucceededJobAsync();
        using var mount = new ReadOnlyMount(folder.Path);

        var store = await ResultsStore.OpenForReadingAsync(folder.Path);

        Assert.True(store.IsReadOnly);
        Assert.Equal(JobState.Succeeded, Assert.Single((await store.GetSweepStatusAsync("dims")).Jobs).State);
        Assert.Single((await store.GetSweepExportAsync("dims")).Rows);
        var write = await Assert.ThrowsAsync<ResultsStoreException>(() => store.AddEventAsync(EventLevel.Info, "x"));
        Assert.Contains("read-only", write.Message);
        Assert.DoesNotContain('\n', write.Message);
    }

    [Fact]
    public async Task A_wal_database_in_a_read_only_folder_without_its_shm_file_is_read_as_immutable()
    {
        using var folder = await FolderWithOneSucceededJobAsync();
        // A reader left the -shm file behind when the folder was writable; here it is gone, as after a copy.
        File.Delete(Path.Combine(folder.Path, ResultsStore.DatabaseFileName + "-shm"));
        using var mount = new ReadOnlyMount(folder.Path);

        var store = await ResultsStore.OpenForReadingAsync(folder.Path);

        Assert.Equal(JobState.Succeeded, Assert.Single((await store.GetSweepStatusAsync("dims")).Jobs).State);
    }

    [Fact]
    public async Task Opening_a_read_only_folder_to_write_says_what_is_not_writable()
    {
        using var folder = await FolderWithOneSucceededJobAsync();
        using var mount = new ReadOnlyMount(folder.Path);

        var error = await Assert.ThrowsAsync<ResultsStoreException>(() => ResultsStore.OpenAsync(folder.Path));

        Assert.StartsWith($"{Path.GetFullPath(folder.Path)}: the results folder is not writable", error.Message);
        Assert.Contains("--results", error.Message);
    }
}
