using SweepRunner.Core.Tests.Support;

namespace SweepRunner.Core.Tests.Planning;

/// <summary>The 25-pattern study, planned from the sweep file in the repository.</summary>
public class StudyPlanTests
{
    readonly Core.Planning.SweepPlan _plan = Plans.Of(Path.Combine(Plans.RepoRoot, "sweeps", "lora-25-patterns.yaml"));

    Core.Planning.PlannedJob Job(string label) => _plan.Jobs.Single(j => j.Label == label);

    [Fact]
    public void BaselineIsThirtyImagesTimesFifteenRepeatsTimesTwentyEpochs()
    {
        Assert.Equal(30, _plan.Dataset.ImageCount);
        Assert.Equal(450, Job("3").Steps.StepsPerEpoch);
        Assert.Equal(9000, Job("3").Steps.TotalSteps);
        Assert.Equal(2, Job("3").Steps.SavedCheckpoints);
        Assert.Equal(2, Job("3").Steps.PreviewRounds);
    }

    [Theory]
    [InlineData("7", 4500)]
    [InlineData("10", 18000)]
    [InlineData("11", 3000)]
    [InlineData("12", 15000)]
    [InlineData("13", 2260)]
    public void StepsFollowImagesRepeatsEpochsAndBatchSize(string label, long steps) =>
        Assert.Equal(steps, Job(label).Steps.TotalSteps);

    [Fact]
    public void Patterns13_23And24AreOneJob()
    {
        Assert.Null(Job("13").DuplicateOf);
        Assert.Equal("13", Job("23").DuplicateOf);
        Assert.Equal("13", Job("24").DuplicateOf);
        Assert.Equal(Job("13").Id, Job("24").Id);
        Assert.Null(Job("13").DuplicateReason);
        Assert.Contains("learning_rate has no effect (Adafactor with relative_step computes its own step size)", Job("23").DuplicateReason);
    }

    [Fact]
    public void EveryDescribedPatternIsPlannedOnce()
    {
        foreach (var label in new[] { "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "17", "19", "23", "24", "25" })
            Assert.Single(_plan.Jobs, j => j.Label == label);
        Assert.Equal(_plan.Jobs.Count - 2, _plan.Totals.UniqueJobs);
        Assert.Equal("Lion", Job("25").Settings["optimizer_type"]);
        Assert.Equal(0.01, Job("25").Settings["learning_rate"]);
        Assert.NotEqual(Job("3").Id, Job("9").Id);
    }
}
