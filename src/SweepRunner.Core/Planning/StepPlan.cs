using SweepRunner.Core.Datasets;
using SweepRunner.Core.Settings;
using static SweepRunner.Core.Settings.SettingsCatalog;

namespace SweepRunner.Core.Planning;

/// <summary>
/// Step arithmetic as sd-scripts does it: each image counts once per repeat in its bucket; a bucket gives
/// ceil(items / batch size) batches; an epoch has ceil(batches / gradient accumulation) optimizer steps.
/// </summary>
public sealed record StepPlan(long BatchesPerEpoch, long StepsPerEpoch, long TotalSteps, int SavedCheckpoints, int PreviewRounds)
{
    public static StepPlan For(DatasetInfo dataset, IReadOnlyDictionary<string, object?> s)
    {
        var batch = Convert.ToInt64(s[BatchSize]);
        var accumulation = Convert.ToInt64(s[GradientAccumulation]);
        var epochs = Convert.ToInt64(s[Epochs]);
        var repeatsOverride = s.GetValueOrDefault(NumRepeats) is long r ? (long?)r : null;

        long batches;
        if (s.GetValueOrDefault(EnableBucket) is true)
        {
            var (width, height) = SettingDefinition.ParseResolution((string)s[Resolution]!);
            var buckets = new Buckets(width, height, Convert.ToInt32(s[MinBucketReso]), Convert.ToInt32(s[MaxBucketReso]), Convert.ToInt32(s[BucketResoSteps]));
            var counts = new Dictionary<int, long>();
            foreach (var folder in dataset.Folders)
            foreach (var image in folder.Images)
            {
                var bucket = buckets.Select(image.Width, image.Height);
                counts[bucket] = counts.GetValueOrDefault(bucket) + (repeatsOverride ?? folder.Repeats);
            }
            batches = counts.Values.Sum(items => CeilDiv(items, batch));
        }
        else
        {
            var items = dataset.Folders.Sum(f => f.Images.Count * (repeatsOverride ?? f.Repeats));
            batches = CeilDiv(items, batch);
        }
        var stepsPerEpoch = CeilDiv(batches, accumulation);
        return new StepPlan(batches, stepsPerEpoch, stepsPerEpoch * epochs,
            SavedFiles(epochs, s.GetValueOrDefault(SaveEveryNEpochs) as long?),
            PreviewRoundsOf(epochs, s.GetValueOrDefault(SampleEveryNEpochs) as long?, s.GetValueOrDefault(SampleAtFirst) is true));
    }

    /// <summary>Intermediate files at every n-th epoch before the last, plus the final file.</summary>
    public static int SavedFiles(long epochs, long? everyN) =>
        1 + (everyN is { } n ? (int)((epochs - 1) / n) : 0);

    public static int PreviewRoundsOf(long epochs, long? everyN, bool atFirst) =>
        (everyN is { } n ? (int)(epochs / n) : 0) + (atFirst ? 1 : 0);

    static long CeilDiv(long a, long b) => (a + b - 1) / b;
}
