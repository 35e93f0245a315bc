namespace SweepRunner.Core.Results;

/// <summary>A sweep's jobs in plan order, each with its previews.</summary>
public sealed record SweepGallery(string Sweep, IReadOnlyList<GalleryJob> Jobs);
