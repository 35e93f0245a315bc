using SweepRunner.Core.Datasets;
using SweepRunner.Core.Planning;
using SweepRunner.Core.Settings;
using SweepRunner.Training.Data;
using SweepRunner.TestSupport;

namespace SweepRunner.Training.Tests.Data;

public class TrainingDatasetTests
{
    /// <summary>Two folders with different repeats and image shapes that fall into several buckets.</summary>
    static string MixedDataset(TemporaryFolder folder)
    {
        var a = Path.Combine(folder.Path, "3_alpha");
        var b = Path.Combine(folder.Path, "5_beta gamma");
        TestImages.Png(a, "01", 512, 512, "one, two, three");
        TestImages.Png(a, "02", 640, 384, "wide");
        TestImages.Png(a, "03", 384, 640);
        TestImages.Webp(b, "04", 512, 512);
        TestImages.Png(b, "05", 700, 350, "very wide");
        TestImages.Png(b, "06", 512, 500);
        TestImages.Png(b, "07", 300, 600);
        return folder.Path;
    }

    public static TheoryData<bool, long, long> Cases => new()
    {
        { false, 1, 1 }, { false, 3, 1 }, { false, 4, 3 }, { true, 1, 1 }, { true, 2, 1 }, { true, 3, 2 }, { true, 4, 4 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void BatchesAndStepsPerEpochEqualThePlannersArithmetic(bool buckets, long batch, long accumulation)
    {
        using var folder = new TemporaryFolder();
        var info = DatasetScanner.Scan(MixedDataset(folder));
        var settings = TestSettings.With(
            (SettingsCatalog.EnableBucket, buckets), (SettingsCatalog.BatchSize, batch), (SettingsCatalog.GradientAccumulation, accumulation),
            (SettingsCatalog.Epochs, 3L), (SettingsCatalog.MinBucketReso, 256L), (SettingsCatalog.MaxBucketReso, 1024L));
        var plan = StepPlan.For(info, settings);

        var dataset = TrainingDataset.Load(info, settings);
        Assert.Equal(plan.BatchesPerEpoch, dataset.BatchesPerEpoch);
        Assert.Equal(plan.StepsPerEpoch, dataset.StepsPerEpoch((int)accumulation));
        Assert.Equal(3 * 3 + 4 * 5, dataset.NumTrainImages);

        var epoch = dataset.Epoch(42, 1);
        Assert.Equal(plan.BatchesPerEpoch, epoch.Count);
        Assert.All(epoch, b => Assert.InRange(b.Images.Count, 1, (int)batch));
        Assert.All(epoch, b => Assert.All(b.Images, i => Assert.Equal(b.Bucket, dataset.Images[i].Bucket)));
        var uses = epoch.SelectMany(b => b.Images).GroupBy(i => i).ToDictionary(g => g.Key, g => g.Count());
        for (var i = 0; i < dataset.Images.Count; i++) Assert.Equal(dataset.Images[i].Repeats, uses[i]);
        if (buckets) Assert.True(epoch.Select(b => b.Bucket).Distinct().Count() > 2, "the images should fill several buckets");
    }

    /// <summary>
    /// LoraTrainer runs <see cref="TrainingDataset.StepsPerEpoch"/> optimizer steps per epoch; across bucket layouts, repeats,
    /// batch sizes and accumulation it is the planner's number, and an epoch's batches are the planner's batches.
    /// </summary>
    [Fact]
    public void TheTrainersStepsPerEpochAreThePlannersForBucketsRepeatsAndBatchSizes()
    {
        using var folder = new TemporaryFolder();
        var info = DatasetScanner.Scan(MixedDataset(folder));
        var checkedLayouts = 0;
        foreach (var (resolution, step) in new[] { ("512,512", 64L), ("768,512", 64L), ("512,512", 32L) })
        foreach (var repeats in new long?[] { null, 2L })
        foreach (var batch in new long[] { 1, 2, 3, 5 })
        {
            var settings = TestSettings.With((SettingsCatalog.EnableBucket, true), (SettingsCatalog.Resolution, resolution),
                (SettingsCatalog.BucketResoSteps, step), (SettingsCatalog.NumRepeats, repeats), (SettingsCatalog.BatchSize, batch));
            var dataset = TrainingDataset.Load(info, settings);
            Assert.True(dataset.Images.Select(i => i.Bucket).Distinct().Count() >= 3, $"{resolution} step {step}: the images should fill several buckets");
            Assert.Equal(StepPlan.For(info, settings).BatchesPerEpoch, dataset.Epoch(1, 1).Count);
            foreach (var accumulation in new long[] { 1, 2, 3, 8 })
            {
                settings[SettingsCatalog.GradientAccumulation] = accumulation;
                var plan = StepPlan.For(info, settings);
                Assert.True(plan.StepsPerEpoch == dataset.StepsPerEpoch((int)accumulation),
                    $"{resolution} step {step}, repeats {repeats}, batch {batch}, accumulation {accumulation}: trainer {dataset.StepsPerEpoch((int)accumulation)}, planner {plan.StepsPerEpoch}");
                checkedLayouts++;
            }
        }
        Assert.Equal(3 * 2 * 4 * 4, checkedLayouts);
    }

    [Fact]
    public void NumRepeatsOverridesTheFolderPrefixAsThePlannerDoes()
    {
        using var folder = new TemporaryFolder();
        var info = DatasetScanner.Scan(MixedDataset(folder));
        var settings = TestSettings.With((SettingsCatalog.NumRepeats, 2L), (SettingsCatalog.BatchSize, 2L));
        var dataset = TrainingDataset.Load(info, settings);
        Assert.Equal(StepPlan.For(info, settings).BatchesPerEpoch, dataset.BatchesPerEpoch);
        Assert.Equal(14, dataset.NumTrainImages);
    }

    [Fact]
    public void EpochOrderDependsOnSeedAndEpochOnly()
    {
        using var folder = new TemporaryFolder();
        var info = DatasetScanner.Scan(MixedDataset(folder));
        var dataset = TrainingDataset.Load(info, TestSettings.With((SettingsCatalog.EnableBucket, true)));
        static string Order(IReadOnlyList<TrainingBatch> e) => string.Join(";", e.Select(b => b.Bucket + ":" + string.Join(",", b.Images)));
        Assert.Equal(Order(dataset.Epoch(7, 2)), Order(dataset.Epoch(7, 2)));
        Assert.NotEqual(Order(dataset.Epoch(7, 2)), Order(dataset.Epoch(7, 3)));
        Assert.NotEqual(Order(dataset.Epoch(7, 2)), Order(dataset.Epoch(8, 2)));
    }

    [Fact]
    public void CaptionsAreTheFirstLineOrTheClassTokensAndSizesAreStoredSizesWhateverTheExifOrientation()
    {
        using var folder = new TemporaryFolder();
        var sub = Path.Combine(folder.Path, "2_my_subject");
        TestImages.Png(sub, "a", 64, 64, "a photo, of it");
        TestImages.RotatedJpeg(sub, "b", 96, 64);
        var dataset = TrainingDataset.Load(DatasetScanner.Scan(folder.Path), TestSettings.With());
        var a = dataset.Images.Single(i => i.Path.EndsWith("a.png"));
        var b = dataset.Images.Single(i => i.Path.EndsWith("b.jpg"));
        Assert.Equal("a photo, of it", a.Caption);
        Assert.Equal("my subject", b.Caption);
        // sd-scripts buckets and trains the stored pixels (PIL without exif_transpose), and so does the planner.
        Assert.Equal((96, 64), (b.Width, b.Height));
        Assert.Equal(SweepRunner.Core.Datasets.ImageSize.Read(b.Path), (b.Width, b.Height));
        Assert.Equal(64, a.ContentHash.Length);
        Assert.Equal("{\"2_my_subject\": {\"n_repeats\": 2, \"img_count\": 2}}",
            SweepRunner.Diffusion.Lora.PythonText.JsonObject(dataset.DatasetDirs.Select(d =>
                new KeyValuePair<string, string>(d.Name, $"{{\"n_repeats\": {d.Repeats}, \"img_count\": {d.ImageCount}}}"))));
        Assert.Equal(["a photo", "of it", "my subject"], dataset.TagFrequency["2_my_subject"].Keys);
        Assert.All(dataset.TagFrequency["2_my_subject"].Values, count => Assert.Equal(1, count));
    }

    [Fact]
    public void ACorruptImageFailsBeforeTrainingNamingTheFile()
    {
        using var folder = new TemporaryFolder();
        var sub = Path.Combine(folder.Path, "1_x");
        TestImages.Png(sub, "good", 64, 64);
        var bad = TestImages.Png(sub, "bad", 64, 64);
        var bytes = File.ReadAllBytes(bad);
        File.WriteAllBytes(bad, bytes[..40]);
        var info = DatasetScanner.Scan(folder.Path);
        var error = Assert.Throws<TrainingDataException>(() => TrainingDataset.Load(info, TestSettings.With()));
        Assert.Contains(bad, error.Message);
        Assert.Contains("Remove or replace the file", error.Message);
    }
}
