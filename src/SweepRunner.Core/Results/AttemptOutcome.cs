namespace SweepRunner.Core.Results;

/// <summary>How an attempt at training a job ended.</summary>
public enum AttemptOutcome
{
    Succeeded,
    Failed,
    Diverged,
    Interrupted,
    TimedOut,
}
