namespace SweepRunner.Core.Results;

/// <summary>A recorded preview image and the attempt that made it.</summary>
public sealed record StoredPreview(long PreviewId, string JobId, long AttemptId, PreviewImage Image, DateTimeOffset CreatedAt);
