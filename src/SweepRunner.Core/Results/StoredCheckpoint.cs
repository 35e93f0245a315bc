namespace SweepRunner.Core.Results;

/// <summary>A recorded LoRA file saved at the end of an epoch.</summary>
public sealed record StoredCheckpoint(string JobId, long AttemptId, long Epoch, ArtifactFile File, DateTimeOffset CreatedAt);
