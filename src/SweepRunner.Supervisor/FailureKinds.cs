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

    static string SignalName(int signal) => signal switch
    {
        6 => ", SIGABRT",
        9 => ", SIGKILL",
        11 => ", SIGSEGV",
        15 => ", SIGTERM",
        _ => "",
    };
}
