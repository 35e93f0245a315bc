using SweepRunner.Reports.Export;
using SweepRunner.Store.Tests.Support;

namespace SweepRunner.Store.Tests.Export;

public sealed class AtomicFileTests
{
    [Fact]
    public void A_write_replaces_the_file_whole_and_leaves_no_temporary_file()
    {
        using var folder = new TemporaryFolder();
        var path = Path.Combine(folder.Path, "report.csv");
        File.WriteAllText(path, "old");

        AtomicFile.Write(path, stream => stream.Write("new content"u8));

        Assert.Equal("new content", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void A_failed_write_keeps_the_old_file_and_removes_the_temporary_file()
    {
        using var folder = new TemporaryFolder();
        var path = Path.Combine(folder.Path, "report.csv");
        File.WriteAllText(path, "old");

        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("half of it"u8);
            throw new InvalidOperationException("the export failed halfway");
        }));

        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(folder.Path));
    }
}
