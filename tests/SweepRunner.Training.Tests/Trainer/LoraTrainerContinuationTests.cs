using SweepRunner.Core.Files;
using SweepRunner.Core.Settings;
using SweepRunner.Diffusion.Checkpoints;
using SweepRunner.TestSupport;
using SweepRunner.Training.Trainer;

namespace SweepRunner.Training.Tests.Trainer;

/// <summary>A longer job that continues a shorter job's final training state ends with the tensors it would have had from scratch.</summary>
public class LoraTrainerContinuationTests
{
    const string PrefixKey = "prefix-of-the-test-runs";

    static string DataHash(TinyTrainingSetup setup, string run, string file) => SafetensorsDataHash.OfFile(setup.Output(run, file));

    [Theory]
    // AdamW on a constant schedule with warmup, fp16 with its loss scaler, dropout, flips and caption shuffles drawn from the generators.
    [InlineData("AdamW", "constant_with_warmup", "fp16")]
    // Adafactor's relative step sets its own step size: the cosine schedule written beside it has no effect, so it still shares.
    [InlineData("Adafactor", "cosine", "no")]
    public void AChainOfContinuationsEndsWithTheDataOfTheLongestJobTrainedFromScratch(string optimizer, string scheduler, string precision)
    {
        // Two images × two repeats, batch 1: four steps an epoch.
        using var setup = new TinyTrainingSetup(images: 2);
        (string, object?)[] common =
        [
            (SettingsCatalog.Optimizer, optimizer), (SettingsCatalog.LrScheduler, scheduler), (SettingsCatalog.LrWarmupSteps, 3L),
            (SettingsCatalog.MixedPrecision, precision), (SettingsCatalog.SavePrecision, "float"), (SettingsCatalog.BatchSize, 1L),
            (SettingsCatalog.SaveEveryNEpochs, 1L), (SettingsCatalog.NetworkDropout, 0.1), (SettingsCatalog.FlipAug, true), (SettingsCatalog.ShuffleCaption, true),
        ];
        var scratch = setup.Train(setup.Settings([.. common, (SettingsCatalog.Epochs, 3L)]), "scratch");
        Assert.Equal(12, scratch.Steps);

        var statesFolder = setup.Output("states", "");
        var one = setup.Train(setup.Settings([.. common, (SettingsCatalog.Epochs, 1L)]), "one",
            job: j => j with { PrefixKey = PrefixKey, FinalStatePath = Path.Combine(statesFolder, "one.safetensors") });
        Assert.True(File.Exists(Path.Combine(statesFolder, "one.safetensors")), "the shorter job keeps its final state");
        var two = setup.Train(setup.Settings([.. common, (SettingsCatalog.Epochs, 2L)]), "two",
            job: j => j with { PrefixKey = PrefixKey, ContinueFrom = Path.Combine(statesFolder, "one.safetensors"), FinalStatePath = Path.Combine(statesFolder, "two.safetensors") });
        var three = setup.Train(setup.Settings([.. common, (SettingsCatalog.Epochs, 3L)]), "three",
            job: j => j with { PrefixKey = PrefixKey, ContinueFrom = Path.Combine(statesFolder, "two.safetensors") });

        Assert.Equal(4, one.Steps);
        Assert.Equal(8, two.Steps);
        Assert.Equal(12, three.Steps);
        // Only the files each continuation wrote itself: the job two continued from stops at epoch 1.
        Assert.Equal(["lora.safetensors"], two.LoraFiles.Select(f => Path.GetFileName(f.Path)));
        Assert.Equal(["lora.safetensors"], three.LoraFiles.Select(f => Path.GetFileName(f.Path)));
        Assert.Equal(DataHash(setup, "scratch", "lora-000001.safetensors"), DataHash(setup, "one", "lora.safetensors"));
        Assert.Equal(DataHash(setup, "scratch", "lora-000002.safetensors"), DataHash(setup, "two", "lora.safetensors"));
        Assert.Equal(DataHash(setup, "scratch", "lora.safetensors"), DataHash(setup, "three", "lora.safetensors"));
        Assert.Equal(scratch.EpochLosses, three.EpochLosses);
    }

    [Fact]
    public void ACosineScheduleIsWhyARunIsNotShared()
    {
        // What the planner's rule prevents: the one-epoch cosine run decays to 0 over its own 4 steps, so its state is not
        // the three-epoch run's state at step 4, and continuing it gives other weights.
        using var setup = new TinyTrainingSetup(images: 2);
        (string, object?)[] common = [(SettingsCatalog.LrScheduler, "cosine"), (SettingsCatalog.BatchSize, 1L)];
        setup.Train(setup.Settings([.. common, (SettingsCatalog.Epochs, 3L)]), "scratch");
        var state = setup.Output("states", "one.safetensors");
        setup.Train(setup.Settings([.. common, (SettingsCatalog.Epochs, 1L)]), "one", job: j => j with { PrefixKey = PrefixKey, FinalStatePath = state });
        setup.Train(setup.Settings([.. common, (SettingsCatalog.Epochs, 3L)]), "three", job: j => j with { PrefixKey = PrefixKey, ContinueFrom = state });
        Assert.NotEqual(DataHash(setup, "scratch", "lora.safetensors"), DataHash(setup, "three", "lora.safetensors"));
    }

    [Fact]
    public void AStateOfAnotherRunIsNotContinued()
    {
        using var setup = new TinyTrainingSetup(images: 2);
        var state = setup.Output("states", "one.safetensors");
        setup.Train(setup.Settings((SettingsCatalog.Epochs, 1L)), "one", job: j => j with { PrefixKey = PrefixKey, FinalStatePath = state });

        var otherKey = Assert.Throws<InvalidOperationException>(() => setup.Train(setup.Settings((SettingsCatalog.Epochs, 2L)), "two",
            job: j => j with { PrefixKey = "another-run", ContinueFrom = state }));
        Assert.Contains("not the first part of this one", otherKey.Message);

        // A state that ends at this job's own last epoch leaves nothing to continue.
        var notLonger = Assert.Throws<InvalidOperationException>(() => setup.Train(setup.Settings((SettingsCatalog.Epochs, 1L)), "same",
            job: j => j with { PrefixKey = PrefixKey, ContinueFrom = state }));
        Assert.Contains("not before this job's last epoch 1", notLonger.Message);
    }
}
