namespace SweepRunner.Core.Results;

/// <summary>A planned sweep as the planner hands it to the store: its file and every job it expands to.</summary>
public sealed record SweepRegistration(
    string Name,
    string SourceFile,
    string SourceText,
    IReadOnlyList<JobRegistration> Jobs);
