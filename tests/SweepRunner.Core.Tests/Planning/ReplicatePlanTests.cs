using SweepRunner.Core.Planning;
using SweepRunner.Core.Sweeps;
using SweepRunner.Core.Tests.Support;

namespace SweepRunner.Core.Tests.Planning;

/// <summary><c>replicates: N</c>: every job planned N times with seeds derived from its own.</summary>
public class ReplicatePlanTests : IDisposable
{
    readonly TempSweep _temp = new TempSweep().AddFolder("10_subject", 12);

    public void Dispose() => _temp.Dispose();

    SweepPlan Plan(string yaml) => new Planner().Plan(SweepFileParser.Load(_temp.Write("r.yaml", yaml)));

    [Fact]
    public void EachJobIsPlannedOncePerSeedInARowWithStableDerivedSeeds()
    {
        var plan = Plan("""
            name: r
            dataset: data
            base: { seed: 42 }
            replicates: 3
            list:
              - { label: a }
              - { label: b, network_alpha: 8 }
            """);
        Assert.Equal(["a", "a-r2", "a-r3", "b", "b-r2", "b-r3"], plan.Jobs.Select(j => j.Label));
        Assert.Equal([1, 2, 3, 1, 2, 3], plan.Jobs.Select(j => j.Replicate));
        Assert.Equal(["a", "a", "a", "b", "b", "b"], plan.Jobs.Select(j => j.ReplicateGroup));
        var seeds = plan.Jobs.Select(j => (long)j.Settings["seed"]!).ToList();
        Assert.Equal(42L, seeds[0]);
        Assert.Equal([ReplicateSeeds.Of(42, 2), ReplicateSeeds.Of(42, 3)], seeds.Skip(1).Take(2));
        Assert.Equal(seeds.Take(3), seeds.Skip(3));
        Assert.Equal(341_240_133L, ReplicateSeeds.Of(42, 2)); // the same number in every version: a changed derivation changes every job id
        // Replicates are observations of one level, never duplicates of each other; the seed shows in the plan's diff.
        Assert.Equal(6, plan.Totals.UniqueJobs);
        Assert.Contains("seed=", plan.Jobs[1].DiffText);
        Assert.Null(plan.Jobs[0].Diff.GetValueOrDefault("seed"));
    }

    [Fact]
    public void ABlockOrAPatternSetsItsOwnCountAndTheOfatBaselineTakesItsBlocks()
    {
        var plan = Plan("""
            name: r
            dataset: data
            replicates: 2
            plans:
              - ofat: { replicates: 3, network_alpha: [1, 8] }
              - list:
                  - { label: once, replicates: 1, network_dim: 4 }
                  - { label: twice, network_dim: 8 }
            """);
        var counts = plan.Jobs.GroupBy(j => j.ReplicateGroup ?? j.Label).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(3, counts["base"]);
        Assert.Equal(3, counts["network_alpha=8"]);
        Assert.Equal(1, counts["once"]);
        Assert.Equal(2, counts["twice"]);
        Assert.Null(plan.Jobs.Single(j => j.Label == "once").ReplicateGroup);
    }

    [Fact]
    public void AGridKeepsItsReplicatesTogetherAndARandomBlockTakesTheKeyToo()
    {
        var plan = Plan("""
            name: r
            dataset: data
            plans:
              - grid: { replicates: 2, network_dim: [4, 8] }
              - random: { n: 1, seed: 3, replicates: 2, axes: { network_alpha: [1, 2] } }
            """);
        Assert.Equal(["network_dim=4", "network_dim=4-r2", "network_dim=8", "network_dim=8-r2", "random-1", "random-1-r2"], plan.Jobs.Select(j => j.Label));
    }

    [Fact]
    public void EachReplicateContinuesTheShorterJobOfItsOwnSeed()
    {
        var plan = Plan("""
            name: r
            dataset: data
            replicates: 2
            grid: { max_train_epochs: [2, 4] }
            """);
        Assert.Equal("max_train_epochs=2", plan.Jobs.Single(j => j.Label == "max_train_epochs=4").Continues!.Label);
        Assert.Equal("max_train_epochs=2-r2", plan.Jobs.Single(j => j.Label == "max_train_epochs=4-r2").Continues!.Label);
    }

    [Theory]
    [InlineData("replicates: 0")]
    [InlineData("replicates: many")]
    [InlineData("replicates: 101")]
    public void ABadCountIsRefusedAtItsLine(string line)
    {
        var error = Assert.Throws<SweepValidationException>(() => Plan($"""
            name: r
            dataset: data
            {line}
            list:
              - {"{"} label: a {"}"}
            """));
        var first = Assert.Single(error.Errors);
        Assert.Equal(("'replicates' must be a whole number from 1 to 100", 3), (first.Problem, first.Where.Line));
    }
}
