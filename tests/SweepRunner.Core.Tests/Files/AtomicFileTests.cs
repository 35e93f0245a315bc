using SweepRunner.Core.Files;
using SweepRunner.TestSupport;

namespace SweepRunner.Core.Tests.Files;

public class AtomicFileTests
{
    [Fact]
    public void WritesTheFileAndLeavesNoTemporaryFile()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("out.bin");
        AtomicFile.Write(path, s => s.Write([1, 2, 3]));
        Assert.Equal(new byte[] { 1, 2, 3 }, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void AFailedWriteKeepsTheOldFileAndCleansUp()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("out.bin");
        File.WriteAllBytes(path, [9, 9]);
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s =>
        {
            s.Write([1, 2, 3]);
            throw new InvalidOperationException("disk full");
        }));
        Assert.Equal(new byte[] { 9, 9 }, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void ReplacesAnExistingFile()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("out.bin");
        File.WriteAllBytes(path, [9, 9, 9, 9]);
        AtomicFile.Write(path, s => s.Write([1]));
        Assert.Equal(new byte[] { 1 }, File.ReadAllBytes(path));
    }
}
