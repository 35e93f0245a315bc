using SweepRunner.Core.Running;

namespace SweepRunner.Supervisor;

/// <summary>
/// Sorts worker failures. Transient ones (memory taken by another process, a file or database held by
/// another program) are retried with backoff; anything else (bad settings, divergence, a bug) would fail
/// the same way again and is not.
/// </summary>
public static class FailureKinds
{
    static readonly string[] TransientMarkers =
    [
        "out of memory", "CUDA error: out of memory", "CUBLAS_STATUS_ALLOC_FAILED", "database is locked",
        "being used by another process", "Resource temporarily unavailable",
    ];

    public static bool IsTransient(int exitCode, string errorText) =>
        exitCode == WorkerExitCodes.TransientFailure || TransientMarkers.Any(m => errorText.Contains(m, StringComparison.OrdinalIgnoreCase));

    public static string DescribeExit(int exitCode) => exitCode switch
    {
        > 128 and < 160 => $"exit code {exitCode} (killed by signal {exitCode - 128}{SignalName(exitCode - 128)})",
        _ => $"exit code {exitCode}",
    };

    /// <summary>
    /// Why a worker ended before it started training: its own <c>error: …</c> line (or the unhandled exception's
    /// message) from the end of its standard error, with the exit code; the whole tail follows on the next lines.
    /// </summary>
    public static string DescribeEarlyExit(int exitCode, string stderrTail)
    {
        var lines = stderrTail.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var said = lines.LastOrDefault(l => l.StartsWith("error: ", StringComparison.Ordinal)) is { } error ? error["error: ".Length..]
            : lines.LastOrDefault(l => l.StartsWith(UnhandledPrefix, StringComparison.Ordinal)) is { } unhandled ? unhandled[UnhandledPrefix.Length..]
            : null;
        var first = said is null
            ? $"worker process failed before training: {DescribeExit(exitCode)}"
            : $"worker process failed before training: {said} ({DescribeExit(exitCode)})";
        return stderrTail.Length > 0 ? first + "\n" + stderrTail : first;
    }

    const string UnhandledPrefix = "Unhandled exception. ";

    static string SignalName(int signal) => signal switch
    {
        6 => ", SIGABRT",
        9 => ", SIGKILL",
        11 => ", SIGSEGV",
        15 => ", SIGTERM",
        _ => "",
    };
}
