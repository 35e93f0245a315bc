namespace SweepRunner.Core.Results;

/// <summary>What registering a sweep changed.</summary>
/// <param name="SweepCreated">False when a sweep of that name existed and was updated.</param>
/// <param name="NewJobs">Jobs the database did not know before.</param>
/// <param name="KnownJobs">Jobs already in the database, from this sweep or an earlier one.</param>
/// <param name="UnlinkedLabels">Labels of the earlier plan that this plan no longer has; their jobs and data are kept.</param>
public sealed record SweepRegistrationResult(
    string SweepName,
    bool SweepCreated,
    int NewJobs,
    int KnownJobs,
    IReadOnlyList<string> UnlinkedLabels);
