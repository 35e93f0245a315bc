using SweepRunner.Training.Trainer;

namespace SweepRunner.Training.Tests.Trainer;

public class LossScalerTests
{
    [Fact]
    public void OverflowHalvesTheScaleAndCountsTheSkippedStep()
    {
        var scaler = new LossScaler();
        Assert.Equal(65536, scaler.Scale);
        scaler.Update(overflowed: false);
        scaler.Update(overflowed: true);
        Assert.Equal(32768, scaler.Scale);
        Assert.Equal(1, scaler.SkippedSteps);
        Assert.Equal(0, scaler.GoodSteps);
    }

    [Fact]
    public void TheScaleDoublesAfterTheGrowthIntervalOfGoodSteps()
    {
        var scaler = new LossScaler();
        for (var i = 0; i < 1999; i++) scaler.Update(false);
        Assert.Equal(65536, scaler.Scale);
        scaler.Update(false);
        Assert.Equal(131072, scaler.Scale);
        Assert.Equal(0, scaler.GoodSteps);
        scaler.Restore(1024, 5, 3);
        Assert.Equal((1024.0, 5, 3L), (scaler.Scale, scaler.GoodSteps, scaler.SkippedSteps));
    }

    [Theory]
    [InlineData("AdamW", "", "torch.optim.adamw.AdamW")]
    [InlineData("AdamW8bit", "weight_decay=0.1 betas=0.9,0.99", "bitsandbytes.optim.adamw.AdamW8bit(weight_decay=0.1,betas=0.9,0.99)")]
    [InlineData("Adafactor", "relative_step=False", "transformers.optimization.Adafactor(relative_step=False)")]
    [InlineData("Prodigy", null, "prodigyopt.prodigy.Prodigy")]
    public void OptimizerNamesAreSdScriptsClassPaths(string type, string? args, string expected) =>
        Assert.Equal(expected, OptimizerNames.MetadataName(type, args));
}
