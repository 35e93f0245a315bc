namespace SweepRunner.Core.Results;

/// <summary>
/// One planned job. <paramref name="JobId"/> is a content hash of the effective settings: the same id is the
/// same training job in every sweep. <paramref name="SettingsJson"/> holds all effective settings under
/// sd-scripts names; <paramref name="DiffJson"/> only those that differ from the sweep's base.
/// </summary>
public sealed record JobRegistration(
    string JobId,
    string Label,
    string SettingsJson,
    string DiffJson,
    string? DuplicateOfLabel,
    long StepsPerEpoch,
    long TotalSteps,
    double EstimatedSeconds)
{
    /// <summary>The label of the first of the job's seed replicates; null when the sweep trains it with one seed.</summary>
    public string? ReplicateGroup { get; init; }

    /// <summary>Which seed replicate the label is, from 1.</summary>
    public int Replicate { get; init; } = 1;
}
