namespace SweepRunner.Core.Results;

/// <summary>
/// Speed measured over succeeded attempts: training seconds per step trained, and the mean time an attempt
/// spent outside training (loading, caching, sampling, saving).
/// </summary>
public sealed record MeasuredSpeed(
    double SecondsPerStep,
    double MeanOverheadSeconds,
    long StepsMeasured,
    int AttemptsMeasured);
