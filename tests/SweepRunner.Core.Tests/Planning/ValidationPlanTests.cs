using SweepRunner.Core.Datasets;
using SweepRunner.Core.Planning;
using SweepRunner.Core.Sweeps;
using SweepRunner.Core.Tests.Support;

namespace SweepRunner.Core.Tests.Planning;

/// <summary>validation_split, validation_data_dir, validate_every_n_epochs and validation_seed in a plan.</summary>
public class ValidationPlanTests : IDisposable
{
    readonly TempSweep _temp = new TempSweep().AddFolder("10_subject", 12).AddFolder("5_other", 3);

    public void Dispose() => _temp.Dispose();

    SweepPlan Plan(string yaml) => new Planner().Plan(SweepFileParser.Load(_temp.Write("v.yaml", yaml)));

    [Fact]
    public void ASplitHoldsOutTheSameImagesForEveryJobAndTrainsOnTheRest()
    {
        var plan = Plan("""
            name: v
            dataset: data
            base: { seed: 7, validation_split: 0.25 }
            ofat: { seed: [1, 2] }
            """);
        // subject: ceil(12 × 0.75) = 9 train × 10 repeats; other: ceil(3 × 0.75) = 3 train, none held out × 5 repeats.
        Assert.All(plan.Jobs, job => Assert.Equal(9 * 10 + 3 * 5, job.Steps.StepsPerEpoch));
        Assert.All(plan.Jobs, job => Assert.Equal(7L, job.Settings["validation_seed"]));
        var heldOut = plan.Jobs.Select(job => ValidationSet.Split(plan.Dataset, job.Settings).HeldOut.Select(v => v.Image.RelativePath).ToList()).ToList();
        Assert.All(heldOut, names => Assert.Equal(heldOut[0], names));
        Assert.Equal(3, heldOut[0].Count);
        Assert.All(heldOut[0], name => Assert.StartsWith("10_subject/", name));
    }

    [Fact]
    public void TheHeldOutImagesFollowTheValidationSeedAndNeverChangeForOne()
    {
        var dataset = DatasetScanner.Scan(_temp.Dataset);
        Dictionary<string, object?> Settings(long seed) => new() { ["validation_split"] = 0.25, ["validation_seed"] = seed };
        var seed42 = ValidationSet.Split(dataset, Settings(42)).HeldOut.Select(v => v.Image.RelativePath).ToList();
        var seed43 = ValidationSet.Split(dataset, Settings(43)).HeldOut.Select(v => v.Image.RelativePath).ToList();
        Assert.NotEqual(seed42, seed43);
        // Pinned: a changed order would hold out other images and change every validated job's results.
        Assert.Equal(PinnedSeed42, seed42);
        var (training, _) = ValidationSet.Split(dataset, Settings(42));
        Assert.Equal(12, training.ImageCount);
        Assert.Empty(training.Folders.SelectMany(f => f.Images).Select(i => i.RelativePath).Intersect(seed42));
    }

    static readonly string[] PinnedSeed42 = ["10_subject/10_subject-010.png", "10_subject/10_subject-004.png", "10_subject/10_subject-002.png"];

    [Fact]
    public void ValidationSettingsLeaveTheIdsOfJobsWithoutAValidationSetAlone()
    {
        const string plain = "name: v\ndataset: data\nofat: { network_dim: [4, 8] }\n";
        var ids = Plan(plain).Jobs.Select(j => j.Id).ToList();
        Assert.Equal(ids, Plan(plain + "base: { validate_every_n_epochs: 2, validation_seed: 5 }\n").Jobs.Select(j => j.Id));
        var validated = Plan(plain + "base: { validation_split: 0.25 }\n").Jobs.Select(j => j.Id).ToList();
        Assert.Empty(validated.Intersect(ids));
        // The seed of the noise and the cadence are part of a validated job's identity: they change its results.
        Assert.Empty(Plan(plain + "base: { validation_split: 0.25, validate_every_n_epochs: 2 }\n").Jobs.Select(j => j.Id).Intersect(validated));
    }

    [Fact]
    public void AValidationFolderIsResolvedAgainstTheSweepFileAndHoldsNothingOut()
    {
        var folder = Path.Combine(_temp.Root, "val", "1_subject");
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "v.png"), TempSweep.PngHeader(512, 512, 99));
        var plan = Plan("name: v\ndataset: data\nbase: { validation_data_dir: val, validation_split: 0.5 }\nlist: [ { label: base } ]\n");
        Assert.Equal(12 * 10 + 3 * 5, plan.Jobs.Single().Steps.StepsPerEpoch);
        var spec = SweepRunner.Core.Running.JobSpecs.From(plan, plan.Jobs).Single();
        Assert.Equal(Path.Combine(_temp.Root, "val"), spec.ValidationFolder);
    }

    [Fact]
    public void AFolderThatCannotBeReadOrASplitThatHoldsOutNothingIsAnError()
    {
        var missing = Assert.Throws<SweepValidationException>(() => Plan("name: v\ndataset: data\nbase: { validation_data_dir: nowhere }\nlist: [ { label: base } ]\n"));
        var error = Assert.Single(missing.Errors);
        Assert.Contains("validation_data_dir 'nowhere' of job 'base'", error.Problem);
        Assert.Contains("does not exist", error.Problem);
        Assert.Contains("kohya layout", error.Fix);

        // ceil(12 × 0.95) = 12 and ceil(3 × 0.95) = 3 keep every image for training.
        var none = Assert.Throws<SweepValidationException>(() => Plan("name: v\ndataset: data\nbase: { validation_split: 0.05 }\nlist: [ { label: base } ]\n"));
        Assert.Contains("validation_split 0.05 of job 'base' holds out no image", Assert.Single(none.Errors).Problem);
    }
}
