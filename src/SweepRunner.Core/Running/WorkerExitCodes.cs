namespace SweepRunner.Core.Running;

/// <summary>Exit codes a training worker ends with that mean more than "it failed".</summary>
public static class WorkerExitCodes
{
    /// <summary>The worker recorded a transient failure (memory taken by another process, a file held by another program) and the job may be retried (EX_TEMPFAIL).</summary>
    public const int TransientFailure = 75;

    /// <summary>The disk is full: the worker stopped, its attempt interrupted where the store could still record that (EX_IOERR).</summary>
    public const int DiskFull = 74;
}
