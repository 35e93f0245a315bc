using SweepRunner.Core.Planning;
using SweepRunner.Core.Sweeps;
using SweepRunner.Core.Tests.Support;

namespace SweepRunner.Core.Tests.Planning;

/// <summary>Which jobs continue a shorter job instead of training from step 0.</summary>
public class RunPrefixTests : IDisposable
{
    readonly TempSweep _temp = new TempSweep().AddFolder("10_subject", 12);

    public void Dispose() => _temp.Dispose();

    SweepPlan Plan(string baseSettings, string epochs = "[2, 4, 6]", Planner? planner = null) =>
        (planner ?? new Planner()).Plan(SweepFileParser.Load(_temp.Write("s.yaml", $$"""
            name: s
            dataset: data
            base: { train_batch_size: 4, {{baseSettings}} }
            grid:
              max_train_epochs: {{epochs}}
            """)));

    static Dictionary<string, JobContinuation?> Continues(SweepPlan plan) => plan.Jobs.ToDictionary(j => j.Label, j => j.Continues);

    [Fact]
    public void TheStudysFortyEpochPatternContinuesItsTwentyEpochBaseline()
    {
        var plan = Plans.Of(Path.Combine(Plans.RepoRoot, "sweeps", "lora-25-patterns.yaml"));
        var ten = plan.Jobs.Single(j => j.Label == "10");
        Assert.Equal(new JobContinuation(plan.Jobs.Single(j => j.Label == "3").Id, "3", 9000), ten.Continues);
        Assert.Equal(9000, ten.StepsToTrain);
        Assert.Single(plan.Jobs, j => j.Continues is not null);
        // 135,060 unique steps less pattern 10's shared 9,000; alone, the 21 labels would cost 139,580 (13's duplicates included).
        Assert.Equal(135_060, plan.Totals.TotalSteps);
        Assert.Equal(126_060, plan.Totals.StepsToTrain);
        Assert.Equal(139_580, plan.Totals.StepsAlone);
    }

    [Theory]
    [InlineData("lr_scheduler: constant")]
    [InlineData("lr_scheduler: constant_with_warmup, lr_warmup_steps: 5")]
    [InlineData("optimizer_type: Adafactor, lr_scheduler: cosine")]
    public void ALengthIndependentRunContinuesTheLongestShorterOne(string settings)
    {
        // 12 images × 10 repeats / batch 4 = 30 steps an epoch: the chain 2 → 4 → 6 epochs.
        var plan = Plan(settings);
        var continues = Continues(plan);
        Assert.Null(continues["max_train_epochs=2"]);
        Assert.Equal(("max_train_epochs=2", 60L), (continues["max_train_epochs=4"]!.Label, continues["max_train_epochs=4"]!.Step));
        Assert.Equal(("max_train_epochs=4", 120L), (continues["max_train_epochs=6"]!.Label, continues["max_train_epochs=6"]!.Step));
        Assert.Equal(60 + 60 + 60, plan.Totals.StepsToTrain);
        Assert.Equal(60 + 120 + 180, plan.Totals.StepsAlone);
    }

    [Theory]
    [InlineData("lr_scheduler: cosine")]
    [InlineData("lr_scheduler: linear")]
    [InlineData("lr_scheduler: polynomial")]
    [InlineData("lr_scheduler: cosine_with_restarts")]
    [InlineData("optimizer_type: Adafactor, optimizer_args: 'relative_step=False', lr_scheduler: cosine")]
    public void ARunWhoseScheduleSpansItsLengthIsNotShared(string settings)
    {
        var plan = Plan(settings);
        Assert.All(plan.Jobs, j => Assert.Null(j.Continues));
        Assert.All(plan.Jobs, j => Assert.Null(j.PrefixKey));
        Assert.Equal(plan.Totals.StepsAlone, plan.Totals.StepsToTrain);
        Assert.Contains("spreads the learning rate over the total steps", RunPrefix.LengthDependence(plan.Jobs[0].Settings));
    }

    [Fact]
    public void AJobThatDiffersInAnythingButItsLengthDoesNotContinue()
    {
        var plan = new Planner().Plan(SweepFileParser.Load(_temp.Write("list.yaml", """
            name: l
            dataset: data
            base: { train_batch_size: 4, max_train_epochs: 2, lr_scheduler: constant }
            list:
              - { label: short }
              - { label: long-other-seed, max_train_epochs: 4, seed: 7 }
              - { label: long-other-saves, max_train_epochs: 4, save_every_n_epochs: 1 }
              - { label: long, max_train_epochs: 4 }
            """)));
        var continues = Continues(plan);
        Assert.Null(continues["long-other-seed"]);
        Assert.Null(continues["long-other-saves"]);
        Assert.Equal("short", continues["long"]!.Label);
    }

    [Fact]
    public void AFinishedJobWhoseStateIsGoneIsNotContinuedAndAnEarlierSweepsRunIs()
    {
        var first = Plan("lr_scheduler: constant", "[2, 4]");
        var two = first.Jobs.Single(j => j.Label == "max_train_epochs=2");
        var four = first.Jobs.Single(j => j.Label == "max_train_epochs=4");

        var spent = Plan("lr_scheduler: constant", "[2, 4]", new Planner { SpentRuns = new HashSet<string> { two.Id } });
        Assert.All(spent.Jobs, j => Assert.Null(j.Continues));

        // A later sweep plans only 6 epochs: it continues the 4-epoch run another sweep finished and kept.
        var earlier = new EarlierRun(four.Id, four.Label, "first", four.PrefixKey!, four.Steps.TotalSteps);
        var later = Plan("lr_scheduler: constant", "[6]", new Planner { EarlierRuns = [earlier] });
        Assert.Equal(new JobContinuation(four.Id, four.Label, 120, "first"), later.Jobs.Single().Continues);
        Assert.Equal(60, later.Totals.StepsToTrain);
    }

    [Fact]
    public void AJobComesAfterTheJobItContinuesWhateverThePlanOrder()
    {
        var plan = Plan("lr_scheduler: constant", "[6, 2, 4]");
        var ordered = RunPrefix.ContinuedFirst(plan.Jobs, j => j.Id, j => j.Continues?.JobId).Select(j => j.Label).ToList();
        Assert.Equal(["max_train_epochs=2", "max_train_epochs=4", "max_train_epochs=6"], ordered);
    }
}
