using SweepRunner.Core.Datasets;
using SweepRunner.Core.Sweeps;

namespace SweepRunner.Core.Planning;

public sealed record ExcludedJob(string Label, string Reason);

/// <param name="TotalSteps">The steps of the unique jobs, each counted whole.</param>
/// <param name="EstimatedSeconds">The time of <see cref="StepsToTrain"/>.</param>
public sealed record PlanTotals(int Jobs, int UniqueJobs, int Excluded, long TotalSteps, double EstimatedSeconds)
{
    /// <summary>What training the plan costs: the unique jobs' steps less the steps a job continues from another.</summary>
    public long StepsToTrain { get; init; } = TotalSteps;

    /// <summary>What the same jobs cost each trained alone: every job's steps, duplicates included.</summary>
    public long StepsAlone { get; init; } = TotalSteps;
}

/// <summary>The jobs a sweep expands to, in plan order, with the totals of its unique jobs.</summary>
public sealed record SweepPlan(
    SweepDefinition Sweep,
    DatasetInfo Dataset,
    IReadOnlyDictionary<string, object?> EffectiveBase,
    IReadOnlyList<PlannedJob> Jobs,
    IReadOnlyList<ExcludedJob> ExcludedExamples,
    IReadOnlyList<string> Warnings,
    PlanTotals Totals)
{
    public IEnumerable<PlannedJob> UniqueJobs => Jobs.Where(j => j.DuplicateOf == null);
}
