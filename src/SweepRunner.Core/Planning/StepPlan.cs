using System.Globalization;
using SweepRunner.Core.Datasets;
using SweepRunner.Core.Settings;
using static SweepRunner.Core.Settings.SettingsCatalog;

namespace SweepRunner.Core.Planning;

/// <summary>
/// Step arithmetic as sd-scripts does it: each image counts once per repeat in its bucket; a bucket gives
/// ceil(items / batch size) batches; an epoch has ceil(batches / gradient accumulation) optimizer steps. Images held out
/// for the validation loss (<see cref="ValidationSet"/>) do not count.
/// </summary>
public sealed record StepPlan(long BatchesPerEpoch, long StepsPerEpoch, long TotalSteps, int SavedCheckpoints, int PreviewRounds)
{
    public static StepPlan For(DatasetInfo dataset, IReadOnlyDictionary<string, object?> s)
    {
        var batch = Convert.ToInt64(s[BatchSize]);
        var accumulation = Convert.ToInt64(s[GradientAccumulation]);
        var epochs = Convert.ToInt64(s[Epochs]);

        var buckets = BucketsFor(s);
        var counts = new Dictionary<int, long>();
        foreach (var folder in ValidationSet.Split(dataset, s).Training.Folders)
        {
            var repeats = RepeatsOf(folder, s);
            foreach (var image in folder.Images)
            {
                var bucket = buckets?.Select(image.Width, image.Height) ?? 0;
                counts[bucket] = counts.GetValueOrDefault(bucket) + repeats;
            }
        }
        var batches = BatchesPerEpochOf(counts.Values, batch);
        var stepsPerEpoch = StepsPerEpochOf(batches, accumulation);
        return new StepPlan(batches, stepsPerEpoch, stepsPerEpoch * epochs,
            SavedFiles(epochs, s.GetValueOrDefault(SaveEveryNEpochs) as long?),
            PreviewRoundsOf(epochs, s.GetValueOrDefault(SampleEveryNEpochs) as long?, s.GetValueOrDefault(SampleAtFirst) is true));
    }

    /// <summary>The training resolution (width, height) of <paramref name="s"/>; a missing setting takes its catalog default.</summary>
    public static (int Width, int Height) ResolutionOf(IReadOnlyDictionary<string, object?> s) =>
        SettingDefinition.ParseResolution((string)Value(s, Resolution)!);

    /// <summary>The aspect-ratio buckets of <paramref name="s"/>, or null without enable_bucket (every image in one bucket, index 0).</summary>
    public static Buckets? BucketsFor(IReadOnlyDictionary<string, object?> s)
    {
        if (Value(s, EnableBucket) is not true) return null;
        var (width, height) = ResolutionOf(s);
        return new Buckets(width, height, Int(s, MinBucketReso), Int(s, MaxBucketReso), Int(s, BucketResoSteps));
    }

    /// <summary>How often each image of <paramref name="folder"/> counts per epoch: num_repeats if set, else the folder's prefix.</summary>
    public static int RepeatsOf(DatasetFolder folder, IReadOnlyDictionary<string, object?> s) =>
        s.GetValueOrDefault(NumRepeats) is { } r ? Convert.ToInt32(r, CultureInfo.InvariantCulture) : folder.Repeats;

    /// <summary>Σ over buckets of ceil(items / batch size), items being images × repeats in that bucket.</summary>
    public static long BatchesPerEpochOf(IEnumerable<long> itemsPerBucket, long batchSize) =>
        itemsPerBucket.Sum(items => CeilDiv(items, batchSize));

    /// <summary>Optimizer steps per epoch: ceil(batches / gradient accumulation); a last, partial accumulation still steps.</summary>
    public static long StepsPerEpochOf(long batchesPerEpoch, long gradientAccumulation) => CeilDiv(batchesPerEpoch, gradientAccumulation);

    /// <summary>Intermediate files at every n-th epoch before the last, plus the final file.</summary>
    public static int SavedFiles(long epochs, long? everyN) =>
        1 + (everyN is { } n ? (int)((epochs - 1) / n) : 0);

    public static int PreviewRoundsOf(long epochs, long? everyN, bool atFirst) =>
        (everyN is { } n ? (int)(epochs / n) : 0) + (atFirst ? 1 : 0);

    static long CeilDiv(long a, long b) => (a + b - 1) / b;

    static object? Value(IReadOnlyDictionary<string, object?> s, string key) => s.GetValueOrDefault(key) ?? Get(key).Default;

    static int Int(IReadOnlyDictionary<string, object?> s, string key) => Convert.ToInt32(Value(s, key), CultureInfo.InvariantCulture);
}
