namespace SweepRunner.Core.Results;

/// <summary>
/// The words for each state, outcome and level: what the database stores (its CHECK constraints list them),
/// and what status and exports show.
/// </summary>
public static class StoredNames
{
    public static string Of(JobState state) => state switch
    {
        JobState.Planned => "planned",
        JobState.Running => "running",
        JobState.Succeeded => "succeeded",
        JobState.Failed => "failed",
        JobState.Diverged => "diverged",
        JobState.Interrupted => "interrupted",
        JobState.TimedOut => "timed-out",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "unknown job state"),
    };

    public static string Of(AttemptOutcome outcome) => outcome switch
    {
        AttemptOutcome.Succeeded => "succeeded",
        AttemptOutcome.Failed => "failed",
        AttemptOutcome.Diverged => "diverged",
        AttemptOutcome.Interrupted => "interrupted",
        AttemptOutcome.TimedOut => "timed-out",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "unknown attempt outcome"),
    };

    public static string Of(EventLevel level) => level switch
    {
        EventLevel.Debug => "debug",
        EventLevel.Info => "info",
        EventLevel.Warning => "warning",
        EventLevel.Error => "error",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "unknown event level"),
    };

    public static JobState ParseJobState(string text) => text switch
    {
        "planned" => JobState.Planned,
        "running" => JobState.Running,
        "succeeded" => JobState.Succeeded,
        "failed" => JobState.Failed,
        "diverged" => JobState.Diverged,
        "interrupted" => JobState.Interrupted,
        "timed-out" => JobState.TimedOut,
        _ => throw new FormatException($"'{text}' is not a job state known to this SweepRunner"),
    };

    public static AttemptOutcome ParseOutcome(string text) => text switch
    {
        "succeeded" => AttemptOutcome.Succeeded,
        "failed" => AttemptOutcome.Failed,
        "diverged" => AttemptOutcome.Diverged,
        "interrupted" => AttemptOutcome.Interrupted,
        "timed-out" => AttemptOutcome.TimedOut,
        _ => throw new FormatException($"'{text}' is not an attempt outcome known to this SweepRunner"),
    };

    public static EventLevel ParseLevel(string text) => text switch
    {
        "debug" => EventLevel.Debug,
        "info" => EventLevel.Info,
        "warning" => EventLevel.Warning,
        "error" => EventLevel.Error,
        _ => throw new FormatException($"'{text}' is not an event level known to this SweepRunner"),
    };
}
