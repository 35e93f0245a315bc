using SweepRunner.Core.Files;
using SweepRunner.TestSupport;

namespace SweepRunner.Core.Tests.Files;

public class OrphanedTemporaryFilesTests
{
    static string Temporary(string folder, string finalName, int bytes, TimeSpan age)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, AtomicFile.TemporaryNameFor(finalName));
        File.WriteAllBytes(path, new byte[bytes]);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow - age);
        return path;
    }

    [Fact]
    public void RemovesOnlyQuietUnheldTemporaryFilesAnywhereUnderTheFolder()
    {
        using var results = new TemporaryFolder();
        var job = Path.Combine(results.Path, "sweep", "a");
        var oldState = Temporary(job, "a-state.safetensors", 4000, TimeSpan.FromHours(1));
        var oldCache = Temporary(Path.Combine(results.Path, ".cache", "latents", "vae"), "x_64x64.safetensors", 1000, TimeSpan.FromHours(2));
        var fresh = Temporary(job, "a.safetensors", 10, TimeSpan.Zero);
        var held = Temporary(job, "a-000001.safetensors", 10, TimeSpan.FromHours(1));
        var notOurs = Path.Combine(job, ".notes.tmp");
        File.WriteAllText(notOurs, "x");
        File.SetLastWriteTimeUtc(notOurs, DateTime.UtcNow - TimeSpan.FromHours(1));
        var state = Path.Combine(job, "a-state.safetensors");
        File.WriteAllText(state, "x");

        using (new FileStream(held, FileMode.Open, FileAccess.Write, FileShare.None))
        {
            var removed = OrphanedTemporaryFiles.Remove(results.Path, TimeSpan.FromMinutes(1));
            Assert.Equal(new RemovedTemporaryFiles(2, 5000), removed);
        }
        Assert.False(File.Exists(oldState));
        Assert.False(File.Exists(oldCache));
        Assert.True(File.Exists(fresh));
        Assert.True(File.Exists(held));
        Assert.True(File.Exists(notOurs));
        Assert.True(File.Exists(state));
    }

    [Fact]
    public void RecognizesExactlyTheNamesAtomicFileWrites()
    {
        Assert.True(AtomicFile.IsTemporaryName(AtomicFile.TemporaryNameFor("a.png")));
        Assert.False(AtomicFile.IsTemporaryName(".a.png.tmp"));
        Assert.False(AtomicFile.IsTemporaryName(".a.png." + new string('G', 32) + ".tmp"));
        Assert.False(AtomicFile.IsTemporaryName("a.png." + new string('a', 32) + ".tmp"));
        Assert.False(AtomicFile.IsTemporaryName("." + new string('a', 32) + ".tmp"));
    }
}
