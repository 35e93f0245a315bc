using SweepRunner.Core.Planning;
using SweepRunner.Core.Running;
using SweepRunner.Store;

namespace SweepRunner.Supervisor;

/// <summary>
/// What a plan may continue from the results folder: the finished jobs whose final training state is still on disk
/// (<see cref="Available"/>), and the ids of finished jobs whose state is gone (<see cref="Spent"/>), which a longer job
/// cannot continue even when its own sweep plans them.
/// </summary>
public sealed record ContinuableRuns(IReadOnlyList<EarlierRun> Available, IReadOnlySet<string> Spent)
{
    public static async Task<ContinuableRuns> LoadAsync(ResultsStore store, CancellationToken cancellationToken = default)
    {
        var finished = await store.GetEarlierRunsAsync(cancellationToken);
        var available = finished.Where(run => File.Exists(FinalTrainingStates.PathOf(store.ResultsFolder, run.JobId))).ToList();
        var spent = finished.Select(run => run.JobId).Except(available.Select(run => run.JobId), StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal);
        return new ContinuableRuns(available, spent);
    }
}
