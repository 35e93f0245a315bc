using SweepRunner.Core.Tests.Support;

namespace SweepRunner.Core.Tests.Planning;

public class PlannerTests : IDisposable
{
    readonly TempSweep _temp = new TempSweep().AddFolder("10_subject", 12);

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("[1e-4, 2e-4]", "[4, 8, 16]", "[1, 2]", 12)]
    [InlineData("[1e-4]", "[4, 8, 16, 32, 64]", "[1, 2, 3]", 15)]
    public void GridSizeIsTheProductOfLevels(string lr, string dim, string clip, int expected)
    {
        var path = _temp.Write("grid.yaml", $"""
            name: g
            dataset: data
            grid:
              learning_rate: {lr}
              network_dim: {dim}
              clip_skip: {clip}
            """);
        var plan = Plans.Of(path);
        Assert.Equal(expected, plan.Jobs.Count);
        Assert.Equal(expected, plan.Totals.UniqueJobs);
        Assert.Equal(expected, plan.Jobs.Select(j => j.Id).Distinct().Count());
    }

    [Fact]
    public void OfatSizeIsOnePlusSumOfLevelsMinusOneWhenTheBaselineIsAmongTheLevels()
    {
        var path = _temp.Write("ofat.yaml", """
            name: o
            dataset: data
            base: { network_alpha: 1, optimizer_type: AdamW, clip_skip: 1 }
            ofat:
              network_alpha: [1, 16, 64]
              optimizer_type: [AdamW, Lion, Adafactor, Prodigy]
              clip_skip: [1, 2]
            """);
        var plan = Plans.Of(path);
        Assert.Equal(1 + 2 + 3 + 1, plan.Jobs.Count);
        Assert.Equal("base", plan.Jobs[0].Label);
        Assert.Empty(plan.Jobs[0].Diff);
        Assert.All(plan.Jobs.Skip(1), j => Assert.Single(j.Diff));
    }

    [Fact]
    public void PairedAxesVaryTogetherAndCrossWithTheOthers()
    {
        var path = _temp.Write("paired.yaml", """
            name: p
            dataset: data
            grid:
              clip_skip: [1, 2]
              paired:
                - { network_dim: [8, 16, 32], network_alpha: [4, 8, 16] }
            """);
        var plan = Plans.Of(path);
        Assert.Equal(6, plan.Jobs.Count);
        Assert.All(plan.Jobs, j => Assert.Equal(2.0 * (double)j.Settings["network_alpha"]!, (long)j.Settings["network_dim"]!));
    }

    [Fact]
    public void BlocksAreUnionedAndRepeatingABlockOnlyAddsDuplicates()
    {
        const string block = """
              - grid:
                  learning_rate: [1e-4, 3e-4]
                  network_dim: [4, 8]
            """;
        var once = Plans.Of(_temp.Write("once.yaml", "name: u\ndataset: data\nplans:\n" + block));
        var twice = Plans.Of(_temp.Write("twice.yaml", "name: u\ndataset: data\nplans:\n" + block + "\n" + block));
        Assert.Equal(4, once.Jobs.Count);
        Assert.Equal(8, twice.Jobs.Count);
        Assert.Equal(once.UniqueJobs.Select(j => j.Id).Order(), twice.UniqueJobs.Select(j => j.Id).Order());
        Assert.All(twice.Jobs.Skip(4), j => Assert.NotNull(j.DuplicateOf));
        Assert.Equal(once.Totals.TotalSteps, twice.Totals.TotalSteps);
    }

    [Fact]
    public void IdsAreStableAcrossRunsAndKeyOrder()
    {
        var a = Plans.Of(_temp.Write("a.yaml", """
            name: s
            dataset: data
            base: { optimizer_type: Lion, learning_rate: 3e-5, network_dim: 16 }
            list:
              - { label: x, clip_skip: 2, network_alpha: 8 }
            """));
        var b = Plans.Of(_temp.Write("b.yaml", """
            dataset: data
            list:
              - { network_alpha: 8.0, label: x, clip_skip: 2 }
            base: { network_dim: 16, learning_rate: 0.00003, optimizer_type: lion }
            name: s
            """));
        var again = Plans.Of(_temp.Path("a.yaml"));
        Assert.Equal(a.Jobs[0].Id, b.Jobs[0].Id);
        Assert.Equal(a.Jobs[0].Id, again.Jobs[0].Id);
        Assert.Matches("^[0-9a-f]{16}$", a.Jobs[0].Id);
    }

    [Fact]
    public void TheIdChangesWithTheDataset()
    {
        var path = _temp.Write("d.yaml", "name: d\ndataset: data\nlist:\n  - { label: a }\n");
        var before = Plans.Of(path).Jobs[0].Id;
        File.WriteAllText(Directory.GetFiles(Path.Combine(_temp.Dataset, "10_subject"), "*.txt")[0], "a changed caption");
        Assert.NotEqual(before, Plans.Of(path).Jobs[0].Id);
    }

    [Fact]
    public void RandomBlocksAreSeededAndStayInRange()
    {
        const string yaml = """
            name: r
            dataset: data
            random:
              n: 25
              seed: 7
              axes:
                learning_rate: { log_uniform: [1e-5, 1e-3] }
                network_dim: [4, 8, 16]
                lr_warmup_steps: { int_uniform: [0, 100] }
            """;
        var first = Plans.Of(_temp.Write("r1.yaml", yaml));
        var second = Plans.Of(_temp.Write("r2.yaml", yaml));
        var other = Plans.Of(_temp.Write("r3.yaml", yaml.Replace("seed: 7", "seed: 8")));
        Assert.Equal(25, first.Jobs.Count);
        Assert.Equal(first.Jobs.Select(j => j.Id), second.Jobs.Select(j => j.Id));
        Assert.NotEqual(first.Jobs.Select(j => j.Id), other.Jobs.Select(j => j.Id));
        Assert.All(first.Jobs, j =>
        {
            var lr = (double)j.Settings["learning_rate"]!;
            Assert.InRange(lr, 1e-5, 1e-3);
            Assert.Contains((long)j.Settings["network_dim"]!, new long[] { 4, 8, 16 });
            Assert.InRange((long)j.Settings["lr_warmup_steps"]!, 0, 100);
        });
    }

    [Fact]
    public void ConstraintsExcludeJobs()
    {
        var path = _temp.Write("c.yaml", """
            name: c
            dataset: data
            grid:
              pretrained_model_name_or_path: [demo, other.safetensors]
              train_batch_size: [1, 2, 4]
              optimizer_type: [AdamW, AdamW8bit]
            constraints:
              - where: { pretrained_model_name_or_path: other.safetensors }
                require: { train_batch_size: 1 }
              - exclude: { optimizer_type: AdamW8bit, train_batch_size: { gt: 2 } }
            """);
        var plan = Plans.Of(path);
        // 12 combinations; 'other' keeps batch 1 only (drops 4); AdamW8bit at batch 4 goes (1 more with demo).
        Assert.Equal(7, plan.Jobs.Count);
        Assert.Equal(5, plan.Totals.Excluded);
        Assert.DoesNotContain(plan.Jobs, j => (string)j.Settings["pretrained_model_name_or_path"]! == "other.safetensors" && (long)j.Settings["train_batch_size"]! != 1);
        Assert.DoesNotContain(plan.Jobs, j => (string)j.Settings["optimizer_type"]! == "AdamW8bit" && (long)j.Settings["train_batch_size"]! > 2);
        Assert.Contains(plan.Warnings, w => w.Contains("other.safetensors"));
    }

    [Fact]
    public void EstimatesUseStepsPerSecond()
    {
        var path = _temp.Write("e.yaml", "name: e\ndataset: data\nsteps_per_second: 2\nbase: { max_train_epochs: 3 }\nlist:\n  - { label: a }\n");
        var job = Plans.Of(path).Jobs[0];
        Assert.Equal(12 * 10 * 3, job.Steps.TotalSteps);
        Assert.Equal(180.0, job.EstimatedSeconds);
    }

    [Fact]
    public void ADuplicateSaysWhichSettingsMadeNoDifferenceAndWhy()
    {
        var plan = Plans.Of(_temp.Write("dup.yaml", """
            name: d
            dataset: data
            base: { optimizer_type: DAdaptAdam, learning_rate: 1.0, lr_scheduler: constant }
            list:
              - { label: a }
              - { label: b, optimizer_type: DAdaptation, lr_warmup_steps: 100, lr_scheduler_power: 2.0 }
              - { label: c }
            """));
        var b = plan.Jobs.Single(j => j.Label == "b");
        Assert.Equal("a", b.DuplicateOf);
        Assert.Equal("lr_scheduler_power has no effect (only the polynomial schedule uses a power); lr_warmup_steps has no effect (the constant schedule has no warmup); optimizer_type DAdaptation trains as DAdaptAdam",
            b.DuplicateReason);
        Assert.Equal("the same settings", plan.Jobs.Single(j => j.Label == "c").DuplicateReason);
    }

    [Fact]
    public void TheGuessScalesStepsPerSecondByImagesAndPixelsPerStepAndAMeasuredSpeedWins()
    {
        var sweep = Core.Sweeps.SweepFileParser.Load(_temp.Write("speed.yaml", """
            name: s
            dataset: data
            steps_per_second: 2.0
            list:
              - { label: one }
              - { label: four, train_batch_size: 4 }
              - { label: accumulated, train_batch_size: 2, gradient_accumulation_steps: 2 }
              - { label: big, resolution: "768,768" }
              - { label: measured, network_dim: 64 }
            """));
        var plan = new Core.Planning.Planner { SecondsPerStep = s => (long)s["network_dim"]! == 64 ? 0.25 : null }.Plan(sweep);
        double PerStep(string label) { var j = plan.Jobs.Single(j => j.Label == label); return j.EstimatedSeconds / j.Steps.TotalSteps; }

        Assert.Equal(0.5, PerStep("one"), 9);
        Assert.Equal(2.0, PerStep("four"), 9);
        Assert.Equal(2.0, PerStep("accumulated"), 9);
        Assert.Equal(0.5 * 2.25, PerStep("big"), 9);
        Assert.Equal(0.25, PerStep("measured"), 9);
        Assert.Equal(["measured"], plan.Jobs.Where(j => j.EstimateMeasured).Select(j => j.Label));
    }
}
