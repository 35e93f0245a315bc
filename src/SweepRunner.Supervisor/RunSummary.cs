using SweepRunner.Core.Results;

namespace SweepRunner.Supervisor;

public sealed record JobRunResult(string JobId, string Label, AttemptOutcome Outcome, string? Error);

/// <summary>How a run ended: one result per job it tried, in order.</summary>
public sealed record RunSummary(string Sweep, string ResultsFolder, IReadOnlyList<JobRunResult> Jobs, int SkippedSucceeded, bool Stopped)
{
    /// <summary>Labels of jobs this run left alone because another process was training them.</summary>
    public IReadOnlyList<string> BusyElsewhere { get; init; } = [];

    public int Count(AttemptOutcome outcome) => Jobs.Count(j => j.Outcome == outcome);
}
