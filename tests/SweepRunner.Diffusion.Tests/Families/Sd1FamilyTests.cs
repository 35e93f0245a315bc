using SweepRunner.Diffusion.Checkpoints;
using SweepRunner.Diffusion.Families;
using SweepRunner.Diffusion.Lora;
using SweepRunner.Diffusion.Model;
using SweepRunner.Diffusion.Schedulers;
using SweepRunner.TestSupport;
using TorchSharp;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Tests.Families;

public class Sd1FamilyTests
{
    static readonly IModelFamily Family = Sd1Family.Instance;
    static readonly Dictionary<string, string> NoMetadata = [];

    [Fact]
    public void TheSd15SignatureAndTheLayoutsTheLoaderReadsAreSd1()
    {
        var (name, config) = Family.Identify("sd15.safetensors", NoMetadata, [320, 4, 3, 3], [49408, 768], [128, 3, 3, 3]);
        Assert.Equal(ModelConfigs.Sd15Name, name);
        Assert.Same(DiffusionModelConfig.Sd15, config);
        Family.CheckSingleFile("sd15.safetensors", [ModelArchitecture.SingleFileUnetInputConv, ModelArchitecture.SingleFileTokenEmbedding],
            new Dictionary<string, string> { [Sd1Family.PredictionTypeMetadataKey] = "epsilon" });

        using var scope = NewDisposeScope();
        using var folder = new TemporaryFolder();
        using var source = ModelFiles.RandomTiny(21);
        SingleFileCheckpoint.Save(source, folder.File("tiny.safetensors"));
        ModelFiles.WriteDiffusersFolder(source, folder.File("diffusers"));
        Directory.CreateDirectory(folder.File(Path.Combine("diffusers", "scheduler")));
        File.WriteAllText(folder.File(Path.Combine("diffusers", "scheduler", "scheduler_config.json")), """{"_class_name": "PNDMScheduler", "prediction_type": "epsilon"}""");

        using var single = Family.Load(ModelLocator.Resolve(folder.File("tiny.safetensors")));
        using var diffusers = Family.Load(ModelLocator.Resolve(folder.File("diffusers")));
        Assert.Same(Family, single.Family);
        Assert.Same(Family, diffusers.Family);
        ModelFiles.AssertSameWeights(source, single);
        ModelFiles.AssertSameWeights(source, diffusers);
    }

    [Theory]
    [InlineData("conditioner.embedders.0.transformer.text_model.final_layer_norm.weight", "not an SD1.x checkpoint: it has SDXL keys")]
    [InlineData("cond_stage_model.model.ln_final.weight", "not an SD1.x checkpoint: it has Stable Diffusion 2.x keys")]
    [InlineData("lora_te_text_model_encoder_layers_0_mlp_fc1.alpha", "this is a LoRA file, not a base model")]
    [InlineData("v_pred", "a v-prediction model: it has a 'v_pred' key")]
    public void KeysOfOtherFamiliesAreRefusedWithTheLoadersMessage(string key, string message)
    {
        var keys = new[] { ModelArchitecture.SingleFileUnetInputConv, key };
        var direct = Assert.Throws<ModelLoadException>(() => Family.CheckSingleFile("x.safetensors", keys, NoMetadata));
        Assert.Contains(message, direct.Message);

        using var scope = NewDisposeScope();
        using var folder = new TemporaryFolder();
        using var source = ModelFiles.RandomTiny(22);
        ModelFiles.WriteSingleFile(source, folder.File("x.safetensors"), extra: [(key, zeros(1))]);
        var loading = Assert.Throws<ModelLoadException>(() => ModelLoader.LoadSingleFile(folder.File("x.safetensors")));
        Assert.Contains(message, loading.Message);
        Assert.Contains(folder.File("x.safetensors"), loading.Message);
    }

    [Fact]
    public void VPredictionMetadataAndSchedulersAreRefused()
    {
        using var scope = NewDisposeScope();
        using var folder = new TemporaryFolder();
        using var source = ModelFiles.RandomTiny(23);
        ModelFiles.WriteSingleFile(source, folder.File("v.safetensors"), metadata: new Dictionary<string, string> { [Sd1Family.PredictionTypeMetadataKey] = "v" });
        ModelFiles.WriteDiffusersFolder(source, folder.File("v-diffusers"));
        Directory.CreateDirectory(folder.File(Path.Combine("v-diffusers", "scheduler")));
        File.WriteAllText(folder.File(Path.Combine("v-diffusers", "scheduler", "scheduler_config.json")), """{"prediction_type": "v_prediction"}""");

        var file = Assert.Throws<ModelLoadException>(() => ModelLoader.LoadSingleFile(folder.File("v.safetensors")));
        var diffusers = Assert.Throws<ModelLoadException>(() => ModelLoader.LoadDiffusersFolder(folder.File("v-diffusers")));

        Assert.Contains("a v-prediction model: its metadata says modelspec.prediction_type = 'v'", file.Message);
        Assert.Contains("a v-prediction model: scheduler/scheduler_config.json says prediction_type = 'v_prediction'", diffusers.Message);
        Assert.Contains("epsilon-prediction", diffusers.Message);
    }

    [Fact]
    public void ShapesOfOtherFamiliesAndSdxlFoldersAreRefusedWithTheLoadersMessage()
    {
        var sd2 = Assert.Throws<ModelLoadException>(() => Family.Identify("x", NoMetadata, [320, 4, 3, 3], [49408, 1024], [128, 3, 3, 3]));
        Assert.Contains("its text encoder is 1024 wide (Stable Diffusion 2.x)", sd2.Message);
        var inpainting = Assert.Throws<ModelLoadException>(() => Family.Identify("x", NoMetadata, [320, 9, 3, 3], [49408, 768], [128, 3, 3, 3]));
        Assert.Contains("9 input channels", inpainting.Message);

        using var folder = new TemporaryFolder();
        Directory.CreateDirectory(folder.File("text_encoder_2"));
        var sdxl = Assert.Throws<ModelLoadException>(() => Family.CheckDiffusersFolder(folder.Path));
        Assert.Contains("second text encoder (text_encoder_2/, SDXL)", sdxl.Message);
        var loading = Assert.Throws<ModelLoadException>(() => ModelLoader.LoadDiffusersFolder(folder.Path));
        Assert.Equal(sdxl.Message, loading.Message);
    }

    [Fact]
    public void LoraTargetsAndNamesAreKohyas()
    {
        Assert.Equal(LoraTargets.UnetTransformer | LoraTargets.TextEncoder, Family.LoraTargets(new LoraNetworkOptions(4, 1)));
        Assert.Equal(LoraTargets.UnetTransformer, Family.LoraTargets(new LoraNetworkOptions(4, 1, TrainTextEncoder: false)));
        Assert.Equal(LoraTargets.All, Family.LoraTargets(new LoraNetworkOptions(4, 1, ConvDim: 2)));
        Assert.Equal("lora_unet_", Family.KohyaPrefix(LoraTargets.UnetTransformer));
        Assert.Equal("lora_unet_", Family.KohyaPrefix(LoraTargets.UnetConvBlocks));
        Assert.Equal("lora_te_", Family.KohyaPrefix(LoraTargets.TextEncoder));
        Assert.True(Family.IsKohyaLoraKey("lora_te_text_model_encoder_layers_0_mlp_fc1.lora_up.weight"));
        Assert.False(Family.IsKohyaLoraKey("lora_te1_text_model_encoder_layers_0_mlp_fc1.lora_up.weight"));
        Assert.False(Family.IsKohyaLoraKey("model.diffusion_model.input_blocks.0.0.weight"));
    }

    /// <summary>The objective the trainer uses: epsilon target, x_t = √ᾱ_t·x0 + √(1−ᾱ_t)·ε on SD 1.5's schedule, uniform timesteps.</summary>
    [Fact]
    public void TheObjectiveIsEpsilonPredictionOnTheSd15Schedule()
    {
        using var scope = NewDisposeScope();
        using var data = new Generator(5, CPU);
        var x0 = randn([3, 4, 2, 2], generator: data);
        var noise = randn([3, 4, 2, 2], generator: data);
        using var familyDraw = new Generator(9, CPU);
        using var scheduleDraw = new Generator(9, CPU);

        var timesteps = Family.SampleTimesteps(3, familyDraw, CPU);
        Assert.Equal(ScalarType.Int64, timesteps.dtype);
        Assert.True(TestWeights.Identical(DdpmSchedule.Sd15.SampleTimesteps(3, scheduleDraw, CPU), timesteps));
        Assert.Same(DdpmSchedule.Sd15, Family.Schedule);

        var noisy = Family.AddNoise(x0, noise, timesteps);
        var alpha = tensor(timesteps.data<long>().Select(t => DdpmSchedule.Sd15.AlphasCumprod[(int)t]).ToArray()).view(3, 1, 1, 1);
        var byHand = alpha.sqrt() * x0 + (1 - alpha).sqrt() * noise;
        Assert.True(TestWeights.Identical(byHand, noisy));
        Assert.True(TestWeights.Identical(DdpmSchedule.Sd15.AddNoise(x0, noise, timesteps), noisy));

        Assert.True(TestWeights.Identical(noise, Family.Target(x0, noise, timesteps)));
        var snr = alpha.flatten() / (1 - alpha.flatten());
        Assert.True(TestWeights.Identical(snr.clamp(max: 5.0) / snr, Family.MinSnrWeight(timesteps, 5.0)));
    }
}
