namespace SweepRunner.Training.Data;

/// <summary>One batch of an epoch: images of one bucket (indices into <see cref="TrainingDataset.Images"/>).</summary>
/// <param name="Bucket">Index into <see cref="TrainingDataset.BucketSizes"/>.</param>
/// <param name="Images">The batch's images, in order; an image may appear more than once through its repeats.</param>
public sealed record TrainingBatch(int Bucket, IReadOnlyList<int> Images);
