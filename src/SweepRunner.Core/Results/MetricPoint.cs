namespace SweepRunner.Core.Results;

/// <summary>Training figures logged at one step. A loss that is not a number is stored and read back as null.</summary>
public sealed record MetricPoint(
    long Step,
    long Epoch,
    double? Loss,
    double LearningRate,
    double SamplesPerSecond);
