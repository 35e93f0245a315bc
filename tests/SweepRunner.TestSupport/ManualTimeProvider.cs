namespace SweepRunner.TestSupport;

/// <summary>A clock that stands still until the test moves it.</summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private DateTimeOffset _now;

    public ManualTimeProvider(DateTimeOffset start)
    {
        _now = start;
    }

    public static ManualTimeProvider AtSampleDate() => new(new DateTimeOffset(2025, 3, 1, 22, 15, 0, TimeSpan.Zero));

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
