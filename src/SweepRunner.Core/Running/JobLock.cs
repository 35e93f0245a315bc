namespace SweepRunner.Core.Running;

/// <summary>
/// The exclusive lock a training process holds on one job while it trains it: <c>&lt;results&gt;/.locks/&lt;job id&gt;.lock</c>,
/// opened without sharing, which on Linux and macOS takes an advisory <c>flock</c>. The kernel drops the lock the moment
/// its process dies (before the process is even reaped), so a free lock proves that no process trains the job, where a
/// process id could belong to a zombie or to an unrelated process that reused it. Lock files are never deleted:
/// deleting one while another process opens it would let two processes hold "the" lock at once.
/// </summary>
public sealed class JobLock : IDisposable
{
    public const string FolderName = ".locks";

    readonly FileStream _stream;

    JobLock(FileStream stream) => _stream = stream;

    public static string PathFor(string resultsFolder, string jobId) => Path.Combine(resultsFolder, FolderName, jobId + ".lock");

    /// <summary>Takes the job's lock, or returns null when another process (or another handle in this one) holds it.</summary>
    public static JobLock? TryAcquire(string resultsFolder, string jobId)
    {
        var path = PathFor(resultsFolder, jobId);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            return new JobLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException) when (File.Exists(path))
        {
            return null;
        }
    }

    /// <summary>Takes the job's lock, trying again for up to <paramref name="patience"/> (another process may be probing it).</summary>
    public static JobLock? TryAcquire(string resultsFolder, string jobId, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            if (TryAcquire(resultsFolder, jobId) is { } held) return held;
            if (DateTime.UtcNow >= deadline) return null;
            Thread.Sleep(100);
        }
    }

    /// <summary>Whether some process holds the job's lock now, that is, trains the job.</summary>
    public static bool IsHeld(string resultsFolder, string jobId)
    {
        if (!File.Exists(PathFor(resultsFolder, jobId))) return false;
        using var probe = TryAcquire(resultsFolder, jobId);
        return probe is null;
    }

    public void Dispose() => _stream.Dispose();
}
