
namespace SweepRunner.Core.Planning;

/// <summary>
/// One job of a plan. It holds only the settings that differ from the sweep's effective base; the full
/// effective settings are rebuilt on demand, so a plan of 100,000 jobs stays small.
/// </summary>
public sealed class PlannedJob(
    string id,
    string label,
    string kind,
    IReadOnlyDictionary<string, object?> effectiveBase,
    IReadOnlyDictionary<string, object?> diff,
    StepPlan steps,
    string? duplicateOf,
    double estimatedSeconds)
{
    public string Id { get; } = id;
    public string Label { get; } = label;

    /// <summary>Which block made the job: baseline, ofat, grid, list or random.</summary>
    public string Kind { get; } = kind;

    /// <summary>Settings whose value differs from the effective base, by key.</summary>
    public IReadOnlyDictionary<string, object?> Diff { get; } = diff;

    public StepPlan Steps { get; } = steps;

    /// <summary>The label of the first job that trains the same thing, or null.</summary>
    public string? DuplicateOf { get; } = duplicateOf;

    /// <summary>Why the job trains the same thing as <see cref="DuplicateOf"/> (e.g. "learning_rate has no effect (…)"), or null.</summary>
    public string? DuplicateReason { get; init; }

    /// <summary>Seconds to train what this job trains itself (after <see cref="Continues"/>' step when it continues a job).</summary>
    public double EstimatedSeconds { get; private set; } = estimatedSeconds;

    /// <summary>The label of the first of this job's seed replicates (<c>replicates:</c>), the same for all of them; null without replicates.</summary>
    public string? ReplicateGroup { get; init; }

    /// <summary>Which seed replicate this job is, from 1 (the first, with the seed the sweep gives).</summary>
    public int Replicate { get; init; } = 1;

    /// <summary>The identity of this run without its length (<see cref="RunPrefix.Key"/>); null when the run depends on its length.</summary>
    public string? PrefixKey { get; init; }

    /// <summary>The shorter job whose final training state this job starts from, or null when it trains from step 0.</summary>
    public JobContinuation? Continues { get; private set; }

    /// <summary>The steps this job trains itself: all of them, or those after the job it continues.</summary>
    public long StepsToTrain => Steps.TotalSteps - (Continues?.Step ?? 0);

    internal void ContinueFrom(JobContinuation continuation)
    {
        EstimatedSeconds *= (double)(Steps.TotalSteps - continuation.Step) / Steps.TotalSteps;
        Continues = continuation;
    }

    /// <summary>True when the estimate comes from a measured speed, false when it is <see cref="FallbackStepTime"/>'s guess.</summary>
    public bool EstimateMeasured { get; init; }

    public SortedDictionary<string, object?> Settings
    {
        get
        {
            var all = new SortedDictionary<string, object?>(StringComparer.Ordinal);
            foreach (var (k, v) in effectiveBase) all[k] = v;
            foreach (var (k, v) in Diff) all[k] = v;
            return all;
        }
    }

    /// <summary>The settings that differ from the base as users see them everywhere ("baseline" when none do).</summary>
    public string DiffText => Core.Text.DiffText.Of(Diff);
}
