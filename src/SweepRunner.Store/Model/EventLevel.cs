namespace SweepRunner.Store.Model;

public enum EventLevel
{
    Debug,
    Info,
    Warning,
    Error,
}
