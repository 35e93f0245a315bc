using SweepRunner.Core.Running;
namespace SweepRunner.Worker;

/// <summary>What a worker process trains: jobs of one sweep, by id, in order, each from the spec the supervisor recorded in the store.</summary>
public sealed record WorkerRequest(string SweepName, string ResultsFolder, TrainingDevice Device, IReadOnlyList<string> JobIds)
{
    /// <summary>How often the training state is saved while a job runs (it is also saved at every checkpoint epoch).</summary>
    public TimeSpan StateSaveInterval { get; init; } = TimeSpan.FromMinutes(10);

    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(30);
}
