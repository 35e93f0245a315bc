namespace SweepRunner.Core.Results;

/// <summary>What a sweep's remaining time is computed from.</summary>
public enum EtaBasis
{
    /// <summary>Nothing remains.</summary>
    Finished,

    /// <summary>The planner's estimates, scaled by how long this sweep's finished jobs really took against their estimates.</summary>
    MeasuredSpeed,

    /// <summary>The planner's estimates alone: no job of the sweep has finished with timings yet.</summary>
    Estimate,
}
