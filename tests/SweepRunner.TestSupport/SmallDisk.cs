namespace SweepRunner.TestSupport;

/// <summary>
/// A real, small file system (tmpfs) mounted for one test, to run out of space on for real. Mounting needs root, or
/// sudo without a password; the test suite's machines have it (test.sh installs packages the same way).
/// </summary>
public sealed class SmallDisk : IDisposable
{
    readonly string _filler;

    public SmallDisk(int megabytes)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sweeprunner-tests", "disk-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
        Mount("mount", "-t", "tmpfs", "-o", $"size={megabytes}m", "sweeprunner-test-disk", Path);
        _filler = System.IO.Path.Combine(Path, "filler.bin");
    }

    public string Path { get; }

    /// <summary>Writes a file until the disk has no space left.</summary>
    public void Fill()
    {
        using var stream = new FileStream(_filler, FileMode.Append, FileAccess.Write, FileShare.None, bufferSize: 0);
        var chunk = new byte[1 << 16];
        try
        {
            while (true) stream.Write(chunk);
        }
        catch (IOException e) when (e.HResult == 28)
        {
        }
        // Smaller writes fill what the chunks could not.
        try
        {
            while (true) stream.Write(chunk, 0, 512);
        }
        catch (IOException e) when (e.HResult == 28)
        {
        }
    }

    public void Free() => File.Delete(_filler);

    public void Dispose()
    {
        Mount("umount", "--lazy", Path);
        Directory.Delete(Path);
    }

    static void Mount(string program, params string[] arguments) => AsRoot.Run("mount a small tmpfs", program, arguments);
}
