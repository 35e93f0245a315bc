using System.Globalization;
using System.Security.Cryptography;
using SweepRunner.Core.Datasets;
using SweepRunner.Core.Planning;
using SweepRunner.Core.Settings;
using SweepRunner.Diffusion.Lora;

namespace SweepRunner.Training.Data;

/// <summary>
/// A kohya dataset ready for training: every image decoded once to check it (a corrupt file fails here, before
/// training), its EXIF-oriented size, content hash, caption and bucket. Buckets and batches follow sd-scripts and
/// Core's StepPlan, whose arithmetic this uses (buckets, repeats, batches and steps per epoch): each image counts once per
/// repeat in its bucket, a bucket gives ceil(items / batch) batches, and each epoch shuffles the items of every bucket and
/// the order of all batches.
/// </summary>
public sealed class TrainingDataset
{
    private readonly List<int>[] _bucketItems;

    private readonly bool _bucketed;

    private TrainingDataset(DatasetInfo info, IReadOnlyList<TrainingImage> images, IReadOnlyList<(int Width, int Height)> bucketSizes, int batchSize,
        bool bucketed, IReadOnlyList<TrainingImage> validation)
    {
        Validation = validation;
        _bucketed = bucketed;
        Info = info;
        Images = images;
        BucketSizes = bucketSizes;
        BatchSize = batchSize;
        _bucketItems = bucketSizes.Select(_ => new List<int>()).ToArray();
        for (var i = 0; i < images.Count; i++)
            for (var r = 0; r < images[i].Repeats; r++)
                _bucketItems[images[i].Bucket].Add(i);
        BatchesPerEpoch = StepPlan.BatchesPerEpochOf(_bucketItems.Select(items => (long)items.Count), batchSize);
    }

    public DatasetInfo Info { get; }

    public IReadOnlyList<TrainingImage> Images { get; }

    /// <summary>Bucket resolutions (width, height) in pixels; without enable_bucket the single training resolution.</summary>
    public IReadOnlyList<(int Width, int Height)> BucketSizes { get; }

    public int BatchSize { get; }

    /// <summary>The validation images (<see cref="ValidationSet"/>): held out of <see cref="Images"/>, or a separate folder's; empty without validation.</summary>
    public IReadOnlyList<TrainingImage> Validation { get; }

    /// <summary>Σ over buckets of ceil(images × repeats / batch size).</summary>
    public long BatchesPerEpoch { get; }

    /// <summary>Images × repeats (sd-scripts' num_train_images).</summary>
    public long NumTrainImages => Images.Sum(i => (long)i.Repeats);

    /// <summary>Optimizer steps per epoch: ceil(batches / gradient accumulation).</summary>
    public long StepsPerEpoch(int gradientAccumulation) => StepPlan.StepsPerEpochOf(BatchesPerEpoch, gradientAccumulation);

    /// <summary>
    /// Reads the images of <paramref name="info"/> for a job's <paramref name="settings"/>, less those validation_split
    /// holds out, and the validation images: the held-out ones, or all of <paramref name="validationFolder"/>.
    /// </summary>
    /// <exception cref="TrainingDataException">An image cannot be decoded; the message names it.</exception>
    public static TrainingDataset Load(DatasetInfo info, IReadOnlyDictionary<string, object?> settings, DatasetInfo? validationFolder = null)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(settings);
        var batchSize = Convert.ToInt32(settings.GetValueOrDefault(SettingsCatalog.BatchSize) ?? SettingsCatalog.Get(SettingsCatalog.BatchSize).Default,
            CultureInfo.InvariantCulture);
        var buckets = StepPlan.BucketsFor(settings);
        IReadOnlyList<(int, int)> sizes = buckets?.Resolutions ?? [StepPlan.ResolutionOf(settings)];

        var (training, heldOut) = ValidationSet.Split(info, settings);
        TrainingImage Read(string root, DatasetFolder folder, DatasetImage image, int repeats)
        {
            var path = Path.Combine(root, image.RelativePath);
            int w, h;
            using (var decoded = ImageLoader.Decode(path))
                (w, h) = (decoded.Width, decoded.Height);
            var caption = string.IsNullOrWhiteSpace(image.Caption) ? folder.ClassTokens : image.Caption;
            return new TrainingImage(path, folder.Name, repeats, caption, w, h, HashFile(path), buckets?.Select(w, h) ?? 0);
        }
        var images = training.Folders.SelectMany(folder => folder.Images.Select(image => Read(info.Path, folder, image, StepPlan.RepeatsOf(folder, settings)))).ToList();
        var validation = validationFolder is not null && ValidationSet.IsOn(settings)
            ? ValidationSet.AllOf(validationFolder).Select(v => Read(validationFolder.Path, v.Folder, v.Image, 1)).ToList()
            : heldOut.Select(v => Read(info.Path, v.Folder, v.Image, 1)).ToList();
        return new TrainingDataset(info, images, sizes, batchSize, buckets is not null, validation);
    }

    /// <summary>
    /// The batches of <paramref name="epoch"/> (1-based) in training order, derived from <paramref name="seed"/> alone:
    /// every bucket's items shuffled, cut into batches, and the batches shuffled.
    /// </summary>
    public IReadOnlyList<TrainingBatch> Epoch(long seed, int epoch)
    {
        var random = DerivedRandom.For(seed, "epoch-order", epoch);
        var batches = new List<TrainingBatch>((int)BatchesPerEpoch);
        for (var bucket = 0; bucket < _bucketItems.Length; bucket++)
        {
            var items = _bucketItems[bucket].ToList();
            if (items.Count == 0) continue;
            DerivedRandom.Shuffle(items, random);
            for (var start = 0; start < items.Count; start += BatchSize)
                batches.Add(new TrainingBatch(bucket, items.GetRange(start, Math.Min(BatchSize, items.Count - start))));
        }
        DerivedRandom.Shuffle(batches, random);
        return batches;
    }

    /// <summary>ss_dataset_dirs: folder name, repeats and image count.</summary>
    public IReadOnlyList<DatasetDirInfo> DatasetDirs =>
        Images.GroupBy(i => i.Folder).Select(g => new DatasetDirInfo(g.Key, g.First().Repeats, g.Count())).ToList();

    /// <summary>ss_tag_frequency: per folder, the caption tags and their counts.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> TagFrequency =>
        Images.GroupBy(i => i.Folder).ToDictionary(g => g.Key, g => KohyaMetadata.TagFrequency(g.Select(i => i.Caption)), StringComparer.Ordinal);

    /// <summary>ss_bucket_info: with enable_bucket each bucket's resolution and images × repeats, and the mean aspect-ratio error.</summary>
    public string BucketInfo => !_bucketed
        ? KohyaBucketInfo.None
        : KohyaBucketInfo.Json(
            BucketSizes.Select((size, i) => new BucketCount(i, size.Width, size.Height, _bucketItems[i].Count)),
            Images.Select(i => (double)BucketSizes[i.Bucket].Width / BucketSizes[i.Bucket].Height - (double)i.Width / i.Height).ToList());

    static string HashFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
