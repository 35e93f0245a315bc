using SweepRunner.Core.Running;

namespace SweepRunner.Supervisor;

/// <summary>What one worker is asked to train: jobs of one sweep, by id, in order, each read from the spec recorded in the store.</summary>
public sealed record WorkerAssignment(string SweepName, IReadOnlyList<string> JobIds, string ResultsFolder, TrainingDevice Device, double StateSaveMinutes);

/// <summary>
/// Where training workers run. <see cref="SweepSupervisor"/> decides what each worker trains and what its end means;
/// a backend only starts it and relays what it says. Today's one backend is <see cref="LocalWorkerBackend"/>, a child
/// process on this machine.
/// </summary>
public interface IWorkerBackend
{
    /// <summary>
    /// Starts a worker for <paramref name="assignment"/>. Each line it reports goes to <paramref name="onMessage"/>, in
    /// order, before <see cref="IRunningWorker.WaitAsync"/> returns.
    /// </summary>
    IRunningWorker Start(WorkerAssignment assignment, Action<WorkerMessage> onMessage);
}

/// <summary>A started worker.</summary>
public interface IRunningWorker : IDisposable
{
    /// <summary>Waits for the worker to end and for all its messages to be delivered; returns its exit code. Cancelling kills it.</summary>
    Task<int> WaitAsync(CancellationToken killNow);

    /// <summary>Asks the worker to stop after saving its training state.</summary>
    void RequestStop();

    /// <summary>The last lines the worker wrote to its error output, for crash reports.</summary>
    string StderrTail { get; }
}
