using SweepRunner.Core.Planning;
using SweepRunner.Core.Running;

namespace SweepRunner.Supervisor;

/// <summary>What the supervisor reports as it goes; the CLI draws it.</summary>
public interface IRunObserver
{
    void Planned(SweepPlan plan, IReadOnlyList<PlannedJob> toRun, int skippedSucceeded, int markedInterrupted);

    void Worker(WorkerMessage message);

    void Note(string text);
}
