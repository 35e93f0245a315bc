using SweepRunner.Core.Datasets;
using SweepRunner.Core.Planning;
using SweepRunner.Core.Settings;
using SweepRunner.Core.Tests.Support;

namespace SweepRunner.Core.Tests.Datasets;

public class StepPlanTests : IDisposable
{
    readonly TempSweep _temp = new();

    public void Dispose() => _temp.Dispose();

    static Dictionary<string, object?> Settings(params (string Key, object? Value)[] overrides)
    {
        var s = SettingsCatalog.All.ToDictionary(d => d.Key, d => d.Default);
        foreach (var (k, v) in overrides) s[k] = v;
        return s;
    }

    [Fact]
    public void FoldersKeepTheirOwnRepeatsAndShareOneBucketWithoutBucketing()
    {
        _temp.AddFolder("3_a", 5).AddFolder("2_b", 4);
        var data = DatasetScanner.Scan(_temp.Dataset);
        var plan = StepPlan.For(data, Settings(("train_batch_size", 4L), ("max_train_epochs", 2L)));
        Assert.Equal(6, plan.StepsPerEpoch); // ceil((5*3 + 4*2) / 4)
        Assert.Equal(12, plan.TotalSteps);
    }

    [Fact]
    public void BucketsRoundUpEachBucketSeparately()
    {
        _temp.AddFolder("1_a", 3, 512, 512).AddFolder("1_b", 3, 512, 768);
        var data = DatasetScanner.Scan(_temp.Dataset);
        var bucketed = StepPlan.For(data, Settings(("train_batch_size", 2L), ("enable_bucket", true)));
        var single = StepPlan.For(data, Settings(("train_batch_size", 2L)));
        Assert.Equal(4, bucketed.BatchesPerEpoch); // ceil(3/2) + ceil(3/2)
        Assert.Equal(3, single.BatchesPerEpoch);   // ceil(6/2)
    }

    [Fact]
    public void GradientAccumulationDividesOptimizerSteps()
    {
        _temp.AddFolder("10_a", 7);
        var plan = StepPlan.For(DatasetScanner.Scan(_temp.Dataset), Settings(("gradient_accumulation_steps", 4L), ("max_train_epochs", 3L)));
        Assert.Equal(70, plan.BatchesPerEpoch);
        Assert.Equal(18, plan.StepsPerEpoch);
        Assert.Equal(54, plan.TotalSteps);
    }

    [Fact]
    public void SavedFilesAndPreviewRoundsFollowTheirEpochCadence()
    {
        Assert.Equal(2, StepPlan.SavedFiles(20, 10));
        Assert.Equal(4, StepPlan.SavedFiles(10, 3));
        Assert.Equal(1, StepPlan.SavedFiles(5, null));
        Assert.Equal(3, StepPlan.PreviewRoundsOf(10, 3, atFirst: false));
        Assert.Equal(4, StepPlan.PreviewRoundsOf(10, 3, atFirst: true));
    }

    [Fact]
    public void BucketResolutionsMatchSdScripts()
    {
        var buckets = new Buckets(512, 512, 256, 1024, 64);
        Assert.Contains((512, 512), buckets.Resolutions);
        Assert.Contains((384, 640), buckets.Resolutions);
        Assert.Contains((640, 384), buckets.Resolutions);
        Assert.All(buckets.Resolutions, r => Assert.True(r.Width * r.Height <= 512 * 512 && r.Width % 64 == 0 && r.Height % 64 == 0));
        Assert.Equal((512, 512), buckets.Resolutions[buckets.Select(512, 512)]);
        Assert.Equal((384, 640), buckets.Resolutions[buckets.Select(600, 1000)]);
    }

    [Fact]
    public void CorruptImagesAndEmptyDatasetsAreNamed()
    {
        _temp.AddFolder("1_a", 1);
        File.WriteAllText(Path.Combine(_temp.Dataset, "1_a", "broken.png"), "not an image");
        var error = Assert.Throws<DatasetException>(() => DatasetScanner.Scan(_temp.Dataset));
        Assert.Contains("broken.png", error.Message);
        Assert.Throws<DatasetException>(() => DatasetScanner.Scan(Path.Combine(_temp.Dataset, "1_a")));
    }
}
