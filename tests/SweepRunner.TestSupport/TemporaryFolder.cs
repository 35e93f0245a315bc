using SweepRunner.Store;

namespace SweepRunner.TestSupport;

/// <summary>A fresh folder under the system temporary folder, deleted with everything in it on dispose.</summary>
public sealed class TemporaryFolder : IDisposable
{
    public TemporaryFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sweeprunner-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>The results database a store opened on this folder uses.</summary>
    public string DatabasePath => System.IO.Path.Combine(Path, ResultsStore.DatabaseFileName);

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A process or server the test started may still be closing its files; the folder is under the temporary folder.
        }
        catch (UnauthorizedAccessException)
        {
            // A test that made files read-only; left under the temporary folder.
        }
    }
}
