using SweepRunner.Core.Files;
using SweepRunner.Core.Planning;
using SweepRunner.Core.Settings;
using SweepRunner.Diffusion.Checkpoints;
using SweepRunner.TestSupport;
using SweepRunner.Training.Trainer;
using TorchSharp;

namespace SweepRunner.Training.Tests.Trainer;

public class LoraTrainerRunTests
{
    [Fact]
    public void TheSameJobAndSeedGiveTheSameTensorsAndAllMetadataButTheTimes()
    {
        using var setup = new TinyTrainingSetup();
        var settings = setup.Settings((SettingsCatalog.NetworkDropout, 0.1), (SettingsCatalog.ShuffleCaption, true), (SettingsCatalog.FlipAug, true),
            (SettingsCatalog.NoiseOffset, 0.05), (SettingsCatalog.MinSnrGamma, 5.0));
        var a = setup.Train(settings, "a");
        // The same job trained again a day and a second later: only the time metadata may differ.
        var b = setup.Train(settings, "b", clock: TinyTrainingSetup.Now + TimeSpan.FromSeconds(86_401));
        Assert.Equal(a.LoraFiles[^1].ModelHash, b.LoraFiles[^1].ModelHash);
        var differing = LoraFileComparison.AssertSameExceptTimes(setup.Output("a", "lora.safetensors"), setup.Output("b", "lora.safetensors"));
        Assert.Equal(LoraFileComparison.PerRunMetadataKeys.Order(), differing.Order());

        settings[SettingsCatalog.Seed] = 43L;
        var c = setup.Train(settings, "c");
        Assert.NotEqual(a.LoraFiles[^1].ModelHash, c.LoraFiles[^1].ModelHash);
        Assert.NotEqual(SafetensorsDataHash.OfFile(setup.Output("a", "lora.safetensors")), SafetensorsDataHash.OfFile(setup.Output("c", "lora.safetensors")));
    }

    [Theory]
    [InlineData(3L, 1L)]
    [InlineData(2L, 2L)]
    public void AResumedRunEndsWithTheTensorsAndNonTimeMetadataOfAnUninterruptedOne(long pauseAfter, long accumulation)
    {
        // Two images × two repeats, batch 1: four batches per epoch; with accumulation 2 the pause falls on an epoch's end.
        using var setup = new TinyTrainingSetup(images: 2);
        var settings = setup.Settings((SettingsCatalog.Epochs, 3L), (SettingsCatalog.SaveEveryNEpochs, 1L), (SettingsCatalog.BatchSize, 1L),
            (SettingsCatalog.GradientAccumulation, accumulation), (SettingsCatalog.NetworkDropout, 0.1), (SettingsCatalog.FlipAug, true),
            (SettingsCatalog.LrScheduler, "cosine"), (SettingsCatalog.MixedPrecision, "fp16"), (SettingsCatalog.SavePrecision, "float"));
        var whole = setup.Train(settings, "whole");
        Assert.True(whole.Completed);

        // The interrupted run starts an hour after the uninterrupted one and is resumed another hour later.
        var started = TinyTrainingSetup.Now + TimeSpan.FromHours(1);
        var first = setup.Train(settings, "parts", new TrainingCallbacks { PauseAfterStep = step => step == pauseAfter }, clock: started);
        Assert.False(first.Completed);
        Assert.Equal(pauseAfter, first.Steps);
        Assert.True(File.Exists(first.StatePath));
        var rest = setup.Train(settings, "parts", resumeFrom: first.StatePath, clock: started + TimeSpan.FromHours(1));
        Assert.True(rest.Completed);
        Assert.Equal(whole.Steps, rest.Steps);
        Assert.False(File.Exists(first.StatePath), "a finished run removes its training state");

        var hashes = first.LoraFiles.Concat(rest.LoraFiles).ToDictionary(f => Path.GetFileName(f.Path), f => f.ModelHash);
        foreach (var file in new[] { "lora-000001.safetensors", "lora-000002.safetensors", "lora.safetensors" })
        {
            Assert.Equal(whole.LoraFiles.Single(f => Path.GetFileName(f.Path) == file).ModelHash, hashes[file]);
            var differing = LoraFileComparison.AssertSameExceptTimes(setup.Output("whole", file), setup.Output("parts", file));
            Assert.Equal(LoraFileComparison.PerRunMetadataKeys.Order(), differing.Order());
        }

        // The resumed run keeps the start time of the run it continues.
        using var final = SafetensorsFile.Open(setup.Output("parts", "lora.safetensors"));
        Assert.Equal($"{started.ToUnixTimeSeconds()}.0", final.Metadata["ss_training_started_at"]);
    }

    [Theory]
    [InlineData("cosine")]
    [InlineData("constant_with_warmup")]
    public void EveryStepUsesTheScheduledRateOfTheConfiguredLearningRate(string scheduler)
    {
        using var setup = new TinyTrainingSetup();
        var settings = setup.Settings((SettingsCatalog.LrScheduler, scheduler), (SettingsCatalog.LrWarmupSteps, 2L), (SettingsCatalog.Epochs, 3L));
        var progress = new List<TrainingProgress>();
        var result = setup.Train(settings, "run", new TrainingCallbacks { Step = progress.Add });

        var schedule = SweepRunner.Training.LrSchedules.LrSchedule.FromSettings(settings, result.TotalSteps);
        Assert.Equal(
            progress.Select(p => schedule.LearningRate(1e-3, p.Step - 1)),
            progress.Select(p => p.LearningRate),
            new DoubleTolerance(1e-15));
        Assert.True(progress[^1].LearningRate > 0 || scheduler == "cosine", "after warm-up the rate is the configured one");
    }

    sealed class DoubleTolerance(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double value) => 0;
    }

    [Fact]
    public void CachingSamplingAndSavingAreTimedApartFromTraining()
    {
        using var setup = new TinyTrainingSetup();
        var settings = setup.Settings((SettingsCatalog.SaveEveryNEpochs, 1L), (SettingsCatalog.SampleEveryNEpochs, 1L));
        setup.Train(settings, "timed", prompts: TinyTrainingSetup.Prompts);
        var timed = setup.LastPhaseTimes!;
        Assert.True(timed.CacheSeconds > 0, "encoding the latents is timed");
        Assert.True(timed.SampleSeconds > 0, "rendering previews is timed");
        Assert.True(timed.SaveSeconds > 0, "saving LoRA files is timed");

        setup.Train(setup.Settings(), "quiet");
        Assert.Equal(0, setup.LastPhaseTimes!.SampleSeconds);
        Assert.True(setup.LastPhaseTimes.SaveSeconds > 0, "the final LoRA is always saved");
    }

    [Fact]
    public void APreviewPromptTheModelCannotRenderFailsTheJobBeforeTraining()
    {
        using var setup = new TinyTrainingSetup();
        var prompts = SweepRunner.Core.Previews.SamplePromptFileParser.Parse("fine --w 64 --h 64\nodd size --w 72 --h 64\n", "p.txt").Prompts;
        var steps = new List<long>();

        var error = Assert.Throws<ArgumentException>(() =>
            setup.Train(setup.Settings((SettingsCatalog.SampleEveryNEpochs, 1L)), "run", new TrainingCallbacks { Step = p => steps.Add(p.Step) }, prompts));

        Assert.Contains("line 2", error.Message);
        Assert.Contains("width 72 must be a multiple of", error.Message);
        Assert.Empty(steps);
        Assert.False(Directory.Exists(setup.Output("run", "sample")));
    }

    [Fact]
    public void AHugeLearningRateEndsTheRunAsDivergedWithItsStep()
    {
        using var setup = new TinyTrainingSetup();
        var settings = setup.Settings((SettingsCatalog.LearningRate, 1e30), (SettingsCatalog.MaxGradNorm, 0.0), (SettingsCatalog.Epochs, 5L));
        var steps = new List<long>();
        var error = Assert.Throws<TrainingDivergedException>(() => setup.Train(settings, "run", new TrainingCallbacks { Step = p => steps.Add(p.Step) }));
        Assert.InRange(error.Step, 1, 3);
        Assert.Equal(error.Step - 1, steps.Count);
        Assert.Contains($"step {error.Step}", error.Message);
        Assert.False(File.Exists(setup.Output("run", "lora.safetensors")));
    }

    [Theory]
    [InlineData("fp16")]
    [InlineData("bf16")]
    public void MixedPrecisionRunsOnTheCpuAndRestoresTheBaseModel(string precision)
    {
        using var setup = new TinyTrainingSetup();
        var settings = setup.Settings((SettingsCatalog.MixedPrecision, precision), (SettingsCatalog.UnetOnly, true));
        var progress = new List<TrainingProgress>();
        var result = setup.Train(settings, "run", new TrainingCallbacks { Step = progress.Add });
        Assert.True(result.Completed);
        Assert.All(progress, p => Assert.True(double.IsFinite(p.Loss)));
        Assert.Equal(precision == "fp16" ? 65536.0 : 1.0, progress[0].LossScale);
        Assert.Equal(0, result.SkippedSteps);
        Assert.All(setup.Model.parameters(), p => Assert.Equal(TorchSharp.torch.ScalarType.Float32, p.dtype));
        using var file = SafetensorsFile.Open(setup.Output("run", "lora.safetensors"));
        Assert.Equal(precision, file.Metadata["ss_mixed_precision"]);
        Assert.DoesNotContain(file.Entries, e => e.Name.StartsWith("lora_te_", StringComparison.Ordinal));
    }

    [Fact]
    public void StepsNeitherLeaveLiveTensorsBehindWithinAJobNorAcrossJobs()
    {
        using var setup = new TinyTrainingSetup();
        var settings = setup.Settings((SettingsCatalog.Epochs, 2L));
        setup.Train(settings, "warm-up");
        var statistics = DisposeScopeManager.Statistics;
        var before = statistics.ThreadTotalLiveCount;
        var live = new List<long>();
        setup.Train(settings, "one", new TrainingCallbacks { Step = _ => live.Add(statistics.ThreadTotalLiveCount) });
        var afterOne = statistics.ThreadTotalLiveCount;
        setup.Train(setup.Settings((SettingsCatalog.Epochs, 2L), (SettingsCatalog.NetworkDim, 8L)), "two");
        Assert.Equal(StepPlan.For(setup.Info, settings).TotalSteps, live.Count);
        Assert.All(live.Skip(1), count => Assert.Equal(live[1], count));
        Assert.Equal(before, afterOne);
        Assert.Equal(before, statistics.ThreadTotalLiveCount);
    }
}
