using System.Diagnostics;
using SweepRunner.Core.Running;
using SweepRunner.TestSupport;

namespace SweepRunner.Core.Tests.Running;

public class JobLockTests
{
    [Fact]
    public void OneHolderAtATimeAndFreeOnceReleased()
    {
        using var results = new TemporaryFolder();
        Assert.False(JobLock.IsHeld(results.Path, "job1"));
        using (var held = JobLock.TryAcquire(results.Path, "job1"))
        {
            Assert.NotNull(held);
            Assert.Null(JobLock.TryAcquire(results.Path, "job1"));
            Assert.True(JobLock.IsHeld(results.Path, "job1"));
            Assert.False(JobLock.IsHeld(results.Path, "job2"));
        }
        Assert.False(JobLock.IsHeld(results.Path, "job1"));
        using var again = JobLock.TryAcquire(results.Path, "job1");
        Assert.NotNull(again);
    }

    [Fact]
    public async Task ALockHeldByAnotherProcessIsHeldUntilThatProcessIsKilled()
    {
        using var results = new TemporaryFolder();
        var path = JobLock.PathFor(results.Path, "job1");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // flock(1) takes the same kind of lock (flock(2), exclusive) that .NET takes for a file opened without sharing.
        // --no-fork: flock becomes the sleeping process, so no child holding the inherited lock outlives the kill.
        using var holder = Process.Start(new ProcessStartInfo("flock", ["--exclusive", "--no-fork", path, "sleep", "120"]))!;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!JobLock.IsHeld(results.Path, "job1") && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.True(JobLock.IsHeld(results.Path, "job1"), "flock never took the lock");
        Assert.Null(JobLock.TryAcquire(results.Path, "job1", TimeSpan.FromMilliseconds(300)));

        holder.Kill(entireProcessTree: true);
        await holder.WaitForExitAsync();
        Assert.False(JobLock.IsHeld(results.Path, "job1"));
    }
}
