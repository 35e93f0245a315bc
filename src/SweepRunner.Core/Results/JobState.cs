namespace SweepRunner.Core.Results;

/// <summary>Where a job stands. After an attempt ends, the job takes that attempt's outcome.</summary>
public enum JobState
{
    Planned,
    Running,
    Succeeded,
    Failed,
    Diverged,
    Interrupted,
    TimedOut,
}
