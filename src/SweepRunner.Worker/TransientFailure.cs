namespace SweepRunner.Worker;

/// <summary>
/// Failures that may not happen again on a retry: memory taken by another process, a file held by another program.
/// The worker ends with <see cref="Core.Running.WorkerExitCodes.TransientFailure"/> after one.
/// </summary>
public static class TransientFailure
{
    public static bool Is(Exception e) =>
        e is OutOfMemoryException
        || e.Message.Contains("out of memory", StringComparison.OrdinalIgnoreCase)
        || e is IOException { HResult: 32 or 33 } // sharing / lock violation
        || e.Message.Contains("database is locked", StringComparison.OrdinalIgnoreCase);
}
