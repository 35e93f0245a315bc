using SweepRunner.Core.Datasets;
using SweepRunner.Core.Sweeps;

namespace SweepRunner.Core.Planning;

public sealed record ExcludedJob(string Label, string Reason);

public sealed record PlanTotals(int Jobs, int UniqueJobs, int Excluded, long TotalSteps, double EstimatedSeconds);

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
