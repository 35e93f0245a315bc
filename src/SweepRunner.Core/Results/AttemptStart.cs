namespace SweepRunner.Core.Results;

/// <summary>Who starts training a job, and where.</summary>
/// <param name="ResumedFromStep">The step of the saved training state the attempt resumes from; 0 for a fresh start.</param>
public sealed record AttemptStart(
    string JobId,
    string Host,
    int ProcessId,
    string Device,
    long ResumedFromStep = 0);
