namespace SweepRunner.Training.Data;

/// <summary>One image of a training dataset, checked and assigned to its bucket.</summary>
/// <param name="Path">The image file.</param>
/// <param name="Folder">The <c>&lt;repeats&gt;_&lt;name&gt;</c> folder it is in.</param>
/// <param name="Repeats">How often it counts per epoch (the folder's prefix or num_repeats).</param>
/// <param name="Caption">The first caption line, or the folder's class tokens.</param>
/// <param name="Width">Width after EXIF orientation.</param>
/// <param name="Height">Height after EXIF orientation.</param>
/// <param name="ContentHash">sha256 of the file's bytes (lower-case hex): the latent cache key.</param>
/// <param name="Bucket">Index into <see cref="TrainingDataset.BucketSizes"/>.</param>
public sealed record TrainingImage(string Path, string Folder, int Repeats, string Caption, int Width, int Height, string ContentHash, int Bucket);
