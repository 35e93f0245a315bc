using SweepRunner.Core.Files;
using SweepRunner.Core.Planning;
using SweepRunner.Core.Previews;
using SweepRunner.Core.Settings;
using SweepRunner.Diffusion.Checkpoints;
using SweepRunner.Diffusion.Lora;
using SweepRunner.Diffusion.Previews;
using SweepRunner.TestSupport;
using SweepRunner.Training.Trainer;
using static TorchSharp.torch;

namespace SweepRunner.Training.Tests.Trainer;

public class LoraTrainerEndToEndTests
{
    [Fact]
    public void LossFallsAndFilesAndPreviewsAppearAtTheRightEpochs()
    {
        using var setup = new TinyTrainingSetup();
        var settings = setup.Settings((SettingsCatalog.Epochs, 6L), (SettingsCatalog.SaveEveryNEpochs, 2L), (SettingsCatalog.SampleEveryNEpochs, 3L),
            (SettingsCatalog.SampleAtFirst, true), (SettingsCatalog.LearningRate, 3e-3), (SettingsCatalog.NetworkDim, 8L));
        var progress = new List<TrainingProgress>();
        var result = setup.Train(settings, "run", new TrainingCallbacks { Step = progress.Add }, TinyTrainingSetup.Prompts);

        var plan = StepPlan.For(setup.Info, settings);
        Assert.True(result.Completed);
        Assert.Equal(plan.StepsPerEpoch, result.StepsPerEpoch);
        Assert.Equal(plan.TotalSteps, result.TotalSteps);
        Assert.Equal(plan.TotalSteps, result.Steps);
        Assert.Equal(Enumerable.Range(1, (int)plan.TotalSteps).Select(i => (long)i), progress.Select(p => p.Step));
        Assert.All(progress, p => Assert.True(double.IsFinite(p.Loss) && p.SamplesPerSecond > 0));

        Assert.True(result.EpochLosses[^1] < 0.8 * result.EpochLosses[0],
            $"the loss should fall: epochs {string.Join(", ", result.EpochLosses.Select(l => l.ToString("F4")))}");

        Assert.Equal(["lora-000002.safetensors", "lora-000004.safetensors", "lora.safetensors"], result.LoraFiles.Select(f => Path.GetFileName(f.Path)));
        Assert.Equal(plan.SavedCheckpoints, result.LoraFiles.Count);
        Assert.Equal([2, 4, 6], result.LoraFiles.Select(f => f.Epoch));
        Assert.Equal(["lora_e000000_00.png", "lora_e000003_00.png", "lora_e000006_00.png"], result.Previews.Select(p => Path.GetFileName(p.Path)));
        Assert.Equal(plan.PreviewRounds, result.Previews.Count);
        Assert.All(result.Previews, p => Assert.True(File.Exists(p.Path)));
        Assert.False(File.Exists(setup.Output("run", "lora-000006.safetensors")));

        var infotext = Infotext.Parse(PreviewPng.ReadParameters(result.Previews[0].Path)!);
        Assert.Equal("a photo of sks person <lora:lora:1>", infotext.Prompt);
        Assert.Equal("5", infotext.Values["Seed"]);
        Assert.Equal("DDIM", infotext.Values["Sampler"]);
        Assert.Equal("64x64", infotext.Values["Size"]);
        Assert.Equal("tiny-random", infotext.Values["Model"]);

        using (var middle = SafetensorsFile.Open(setup.Output("run", "lora-000002.safetensors")))
        {
            Assert.Equal("2", middle.Metadata["ss_epoch"]);
            Assert.Equal((2 * plan.StepsPerEpoch).ToString(), middle.Metadata["ss_steps"]);
        }
        using var final = SafetensorsFile.Open(result.LoraFiles[^1].Path);
        var m = final.Metadata;
        Assert.Equal("6", m["ss_epoch"]);
        Assert.Equal(plan.TotalSteps.ToString(), m["ss_steps"]);
        Assert.Equal(plan.TotalSteps.ToString(), m["ss_max_train_steps"]);
        Assert.Equal("6", m["ss_num_epochs"]);
        Assert.Equal("8", m["ss_network_dim"]);
        Assert.Equal("8", m["ss_num_train_images"]);
        Assert.Equal(OptimizerRegistry.Find((string)settings[SettingsCatalog.Optimizer]!)!.MetadataClass, m["ss_optimizer"]);
        Assert.Equal("torch.optim.adamw.AdamW", m["ss_optimizer"]);
        Assert.Equal("tiny-random.safetensors", m["ss_sd_model_name"]);
        Assert.Equal("{\"2_person\": {\"n_repeats\": 2, \"img_count\": 4}}", m["ss_dataset_dirs"]);
        Assert.Equal("(64, 64)", m["ss_resolution"]);
        Assert.Equal("stable-diffusion-v1/lora", m["modelspec.architecture"]);
        Assert.Equal(final.ComputeModelHash(), m["sshs_model_hash"]);
        Assert.Equal(result.LoraFiles[^1].ModelHash, m["sshs_model_hash"]);
        // The tiny LoRA is under 1 MiB: sd-scripts' legacy window is empty, the sha256 of nothing.
        Assert.Equal("e3b0c442", m["sshs_legacy_hash"]);
        Assert.Equal(LegacyModelHash.OfFile(setup.CheckpointPath), m["ss_sd_model_hash"]);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(setup.CheckpointPath))), m["ss_new_sd_model_hash"]);
        Assert.Equal("null", m["ss_bucket_info"]);
        Assert.InRange(long.Parse(m["ss_session_id"]), 0, 1L << 32);
        using (var middle = SafetensorsFile.Open(setup.Output("run", "lora-000002.safetensors")))
            Assert.Equal(m["ss_session_id"], middle.Metadata["ss_session_id"]);

        // The last preview was rendered with the final weights: its infotext names the final file and its short hash.
        var last = Infotext.Parse(PreviewPng.ReadParameters(result.Previews[^1].Path)!);
        Assert.Equal("a photo of sks person <lora:lora:1>", last.Prompt);
        Assert.Equal($"lora: {m["sshs_model_hash"][..12]}", last.Values["Lora hashes"]);
        Assert.All(final.Entries, e => Assert.Equal(SafetensorsDtype.F16, e.Dtype));

        // The saved file loads back into a fresh network and reproduces its outputs (fp16 weights, as saved).
        using var network = LoraNetwork.Create(setup.Model, LoraNetworkOptions.FromSettings(settings));
        network.Load(result.LoraFiles[^1].Path);
        var module = network.Modules[5];
        using var stored = final.Load(module.Name + ".lora_up.weight", ScalarType.Float32);
        Assert.True(TestWeights.Identical(stored, module.Up.detach()));
        Assert.True(stored.abs().max().item<float>() > 0, "training should have moved the up weights away from zero");
    }
}
