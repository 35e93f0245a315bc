namespace SweepRunner.Core.Results;

public enum EventLevel
{
    Debug,
    Info,
    Warning,
    Error,
}
