namespace SweepRunner.Training.Tests.Support;

/// <summary>A clock that always reads the same instant, so files that record times compare byte for byte.</summary>
public sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
