namespace SweepRunner.Core.Results;

/// <summary>Wall-clock seconds an attempt spent in each phase.</summary>
public sealed record PhaseTimings(
    double LoadSeconds,
    double CacheSeconds,
    double TrainSeconds,
    double SampleSeconds,
    double SaveSeconds)
{
    public double TotalSeconds => LoadSeconds + CacheSeconds + TrainSeconds + SampleSeconds + SaveSeconds;
}
