using SweepRunner.Core.Datasets;
using SweepRunner.Core.Files;
using SweepRunner.Core.Planning;
using SweepRunner.Core.Results;
using SweepRunner.Core.Settings;
using SweepRunner.DemoBuilder;
using SweepRunner.Diffusion.Checkpoints;
using SweepRunner.TestSupport;
using SweepRunner.Training.Trainer;

namespace SweepRunner.Training.Tests.Trainer;

/// <summary>The validation loss: fixed timesteps and noise, so runs of one job agree and jobs can be compared.</summary>
public class LoraTrainerValidationTests
{
    static (TrainingResult Result, List<ValidationLoss> Losses) Train(TinyTrainingSetup setup, Dictionary<string, object?> settings, string run,
        DatasetInfo? validationFolder = null)
    {
        var losses = new List<ValidationLoss>();
        var result = setup.Train(settings, run, new TrainingCallbacks { Validated = losses.Add }, validationFolder: validationFolder);
        return (result, losses);
    }

    [Fact]
    public void TheValidationLossIsTheSameForTwoRunsOfAJobAndDiffersBetweenJobs()
    {
        // Four images, a quarter held out: three train (× 2 repeats, batch 2: three steps an epoch), one validates.
        using var setup = new TinyTrainingSetup(images: 4);
        var settings = setup.Settings((SettingsCatalog.ValidationSplit, 0.25), (SettingsCatalog.ValidationSeed, 42L));
        var (first, losses) = Train(setup, settings, "first");
        var (_, again) = Train(setup, settings, "again");
        var (_, other) = Train(setup, setup.Settings((SettingsCatalog.ValidationSplit, 0.25), (SettingsCatalog.ValidationSeed, 42L), (SettingsCatalog.LearningRate, 1e-2)), "other");

        Assert.Equal(6, first.Steps);
        Assert.Equal(StepPlan.For(setup.Info, settings).TotalSteps, first.Steps);
        Assert.Equal([1L, 2L], losses.Select(l => l.Epoch));
        Assert.Equal([3L, 6L], losses.Select(l => l.Step));
        Assert.All(losses, l => Assert.Equal(1, l.Images));
        Assert.All(losses, l => Assert.True(l.Loss is > 0 and < 10, $"loss {l.Loss}"));
        Assert.Equal(losses, again);
        Assert.NotEqual(losses[0].Loss, other[0].Loss);
        Assert.NotEqual(losses[1].Loss, other[1].Loss);
        Assert.NotEqual(losses[0].Loss, losses[1].Loss);
    }

    [Fact]
    public void TheNoiseComesFromTheValidationSeedNotTheJobsSeed()
    {
        // At learning rate 0 the LoRA adds nothing (its up weights start at zero), so the loss is the base model's on the
        // validation set: the same for jobs that differ in seed, and another with another validation seed.
        using var setup = new TinyTrainingSetup(images: 4);
        (string, object?)[] frozen = [(SettingsCatalog.LearningRate, 0.0), (SettingsCatalog.Epochs, 1L), (SettingsCatalog.ValidationSplit, 0.25)];
        var (_, seed1) = Train(setup, setup.Settings([.. frozen, (SettingsCatalog.Seed, 1L), (SettingsCatalog.ValidationSeed, 42L)]), "seed1");
        var (_, seed2) = Train(setup, setup.Settings([.. frozen, (SettingsCatalog.Seed, 2L), (SettingsCatalog.ValidationSeed, 42L)]), "seed2");
        var (_, otherNoise) = Train(setup, setup.Settings([.. frozen, (SettingsCatalog.Seed, 1L), (SettingsCatalog.ValidationSeed, 43L)]), "other-noise");

        Assert.Equal(seed1.Single().Loss, seed2.Single().Loss);
        Assert.NotEqual(seed1.Single().Loss, otherNoise.Single().Loss);
    }

    [Fact]
    public void ASeparateValidationFolderLeavesTheTrainedLoraUnchanged()
    {
        using var setup = new TinyTrainingSetup(images: 2);
        var validationFolder = setup.Output("validation", "");
        DemoDatasetGenerator.Write(validationFolder, 3, 64, 1, "person", "sks", 9);
        var validation = DatasetScanner.Scan(validationFolder);
        (string, object?)[] common = [(SettingsCatalog.Epochs, 3L), (SettingsCatalog.SavePrecision, "float"), (SettingsCatalog.ValidationSeed, 42L)];

        setup.Train(setup.Settings(common), "plain");
        var (result, losses) = Train(setup, setup.Settings([.. common, (SettingsCatalog.ValidationDataDir, "validation"), (SettingsCatalog.ValidateEveryNEpochs, 2L)]),
            "validated", validation);

        Assert.Equal(SafetensorsDataHash.OfFile(setup.Output("plain", "lora.safetensors")), SafetensorsDataHash.OfFile(setup.Output("validated", "lora.safetensors")));
        // Every second epoch, and the last.
        Assert.Equal([2L, 3L], losses.Select(l => l.Epoch));
        Assert.All(losses, l => Assert.Equal(3, l.Images));
        Assert.Equal(StepPlan.For(setup.Info, setup.Settings(common)).TotalSteps, result.Steps);
    }
}
