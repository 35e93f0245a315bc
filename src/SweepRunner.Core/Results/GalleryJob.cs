namespace SweepRunner.Core.Results;

/// <summary>
/// One job of a sweep as the scoring page shows it: its label, the settings that differ from the sweep's base
/// (<paramref name="DiffJson"/>, <c>{}</c> for the baseline), its state and its previews by epoch and prompt.
/// </summary>
public sealed record GalleryJob(
    string Label,
    string JobId,
    int Position,
    string DiffJson,
    string? DuplicateOfLabel,
    JobState State,
    IReadOnlyList<StoredPreview> Previews);
