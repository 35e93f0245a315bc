using SweepRunner.Diffusion.Checkpoints;
using SweepRunner.Diffusion.Model;
using SweepRunner.Diffusion.Modules;
using SweepRunner.TestSupport;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Tests.Model;

public class ModelLoaderTests
{
    static readonly Dictionary<string, string> TinyMetadata = new() { [ModelConfigs.MetadataKey] = ModelConfigs.TinyName };

    static Tensor UnetOutput(StableDiffusionModel model)
    {
        using var generator = new Generator(7);
        using var latents = randn([1, 4, 8, 8], generator: generator);
        using var context = randn([1, 77, 64], generator: generator);
        using var t = tensor(new[] { 500L });
        using var _ = no_grad();
        return model.Unet.forward(latents, t, context);
    }

    [Fact]
    public void ASingleFileRoundTripGivesIdenticalWeightsAndOutputs()
    {
        using var scope = NewDisposeScope();
        using var folder = new TemporaryFolder();
        using var source = ModelFiles.RandomTiny(1);
        SingleFileCheckpoint.Save(source, folder.File("tiny.safetensors"));

        using var loaded = ModelLoader.LoadSingleFile(folder.File("tiny.safetensors"));

        ModelFiles.AssertSameWeights(source, loaded);
        Assert.True(TestWeights.Identical(UnetOutput(source), UnetOutput(loaded)));
        Assert.All(loaded.parameters(), p => Assert.False(p.requires_grad));
        using var file = SafetensorsFile.Open(folder.File("tiny.safetensors"));
        Assert.Equal(ModelConfigs.TinyName, file.Metadata[ModelConfigs.MetadataKey]);
    }

    [Fact]
    public void AFileWithoutTextModelPrefixMatrixVaeAttentionAndNoMetadataLoads()
    {
        using var scope = NewDisposeScope();
        using var folder = new TemporaryFolder();
        using var source = ModelFiles.RandomTiny(2);
        ModelFiles.WriteSingleFile(source, folder.File("short.safetensors"), (name, tensor) =>
        {
            var renamed = name.Replace(CheckpointKeys.TextEncoderPrefix, CheckpointKeys.TextEncoderShortPrefix, StringComparison.Ordinal);
            var attention = name.Contains(".mid.attn_1.", StringComparison.Ordinal) && tensor.dim() == 4;
            return (renamed, attention ? tensor.flatten(1) : tensor);
        }, extra: [("alphas_cumprod", ones(1000)), ("model_ema.decay", tensor(0.999f))]);

        using var loaded = ModelLoader.LoadSingleFile(folder.File("short.safetensors"));

        ModelFiles.AssertSameWeights(source, loaded);
        Assert.Equal(DiffusionModelConfig.Tiny.Unet.BlockChannels, loaded.Config.Unet.BlockChannels);
    }

    [Fact]
    public void Fp16WeightsAreConvertedToTheRequestedDtype()
    {
        using var scope = NewDisposeScope();
        using var folder = new TemporaryFolder();
        using var source = ModelFiles.RandomTiny(3);
        SingleFileCheckpoint.Save(source, folder.File("half.safetensors"), ScalarType.Float16);

        using var loaded = ModelLoader.LoadSingleFile(folder.File("half.safetensors"), new ModelLoadOptions(Dtype: ScalarType.Float32));

        var expected = source.named_parameters().ToDictionary(p => p.name, p => p.parameter.to_type(ScalarType.Float16).to_type(ScalarType.Float32));
        foreach (var (name, parameter) in loaded.named_parameters())
        {
            Assert.Equal(ScalarType.Float32, parameter.dtype);
            Assert.True(TestWeights.Identical(parameter, expected[name]), name);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ADiffusersFolderLoadsToTheSameModel(bool oldVaeAttentionNames)
    {
        using var scope = NewDisposeScope();
        using var folder = new TemporaryFolder();
        using var source = ModelFiles.RandomTiny(4);
        ModelFiles.WriteDiffusersFolder(source, folder.Path, oldVaeAttentionNames);

        var location = ModelLocator.Resolve(folder.Path);
        using var loaded = ModelLoader.Load(location);

        Assert.Equal(ModelFormat.DiffusersFolder, location.Format);
        ModelFiles.AssertSameWeights(source, loaded);
        Assert.True(TestWeights.Identical(UnetOutput(source), UnetOutput(loaded)));
    }

    [Fact]
    public void AMissingTensorIsNamedWithTheFile()
    {
        using var scope = NewDisposeScope();
        using var folder = new TemporaryFolder();
        using var source = ModelFiles.RandomTiny(5);
        const string removed = "model.diffusion_model.middle_block.1.proj_in.weight";
        ModelFiles.WriteSingleFile(source, folder.File("m.safetensors"), (n, t) => n == removed ? null : (n, t), TinyMetadata);

        var error = Assert.Throws<StateDictLoadException>(() => ModelLoader.LoadSingleFile(folder.File("m.safetensors")));

        Assert.Equal([removed], error.Report.Missing);
        Assert.Contains(removed, error.Message);
        Assert.Contains(folder.File("m.safetensors"), error.Message);
    }

    [Fact]
    public void UnknownKeysAndShapeMismatchesAreNamedWithTheFile()
    {
        using var scope = NewDisposeScope();
        using var folder = new TemporaryFolder();
        using var source = ModelFiles.RandomTiny(6);
        const string resized = "first_stage_model.decoder.conv_out.weight";
        ModelFiles.WriteSingleFile(source, folder.File("m.safetensors"),
            (n, t) => n == resized ? (n, zeros(3, 16, 1, 1)) : (n, t), TinyMetadata,
            [("model.diffusion_model.input_blocks.1.1.extra.weight", zeros(2))]);

        var error = Assert.Throws<StateDictLoadException>(() => ModelLoader.LoadSingleFile(folder.File("m.safetensors")));

        Assert.Equal(["model.diffusion_model.input_blocks.1.1.extra.weight"], error.Report.Unexpected);
        Assert.Equal(resized, Assert.Single(error.Report.ShapeMismatches).Name);
        Assert.Contains("model.diffusion_model.input_blocks.1.1.extra.weight", error.Message);
        Assert.Contains($"{resized}: expected [3, 16, 3, 3], file has [3, 16, 1, 1]", error.Message);
        Assert.Contains(folder.File("m.safetensors"), error.Message);
    }

    [Fact]
    public void DiffusersErrorsNameTheComponentFileAndDiffusersKeys()
    {
        using var scope = NewDisposeScope();
        using var folder = new TemporaryFolder();
        using var source = ModelFiles.RandomTiny(7);
        ModelFiles.WriteDiffusersFolder(source, folder.Path, rename: (n, t) => n switch
        {
            "mid_block.attentions.0.proj_in.weight" => null,
            "conv_in.bias" => ("conv_in.bias_typo", t),
            _ => (n, t),
        });

        var error = Assert.Throws<StateDictLoadException>(() => ModelLoader.LoadDiffusersFolder(folder.Path));

        Assert.Equal(["mid_block.attentions.0.proj_in.weight", "conv_in.bias"], error.Report.Missing.Order().Reverse());
        Assert.Equal(["conv_in.bias_typo"], error.Report.Unexpected);
        Assert.Contains(Path.Combine(folder.Path, "unet", "diffusion_pytorch_model.safetensors"), error.Message);
    }

    [Theory]
    [InlineData("conditioner.embedders.0.transformer.text_model.final_layer_norm.weight", "SDXL")]
    [InlineData("cond_stage_model.model.ln_final.weight", "2.x")]
    public void OtherModelFamiliesAreRefusedByName(string key, string family)
    {
        using var scope = NewDisposeScope();
        using var folder = new TemporaryFolder();
        using var source = ModelFiles.RandomTiny(8);
        ModelFiles.WriteSingleFile(source, folder.File("x.safetensors"), extra: [(key, zeros(4))]);

        var error = Assert.Throws<ModelLoadException>(() => ModelLoader.LoadSingleFile(folder.File("x.safetensors")));

        Assert.Contains("not an SD1.x checkpoint", error.Message);
        Assert.Contains(family, error.Message);
        Assert.Contains(folder.File("x.safetensors"), error.Message);
    }

    [Fact]
    public void UnknownShapesWithoutMetadataAreNotAnSd1Checkpoint()
    {
        using var scope = NewDisposeScope();
        using var folder = new TemporaryFolder();
        using var source = ModelFiles.RandomTiny(9);
        ModelFiles.WriteSingleFile(source, folder.File("x.safetensors"),
            (n, t) => n == ModelArchitecture.SingleFileUnetInputConv ? (n, zeros(48, 4, 3, 3)) : (n, t));

        var error = Assert.Throws<ModelLoadException>(() => ModelLoader.LoadSingleFile(folder.File("x.safetensors")));

        Assert.Contains("not an SD1.x checkpoint", error.Message);
        Assert.Contains("[48, 4, 3, 3]", error.Message);
    }

    [Fact]
    public void ALoraFileGivenAsModelIsRefusedWithTheFix()
    {
        using var scope = NewDisposeScope();
        using var folder = new TemporaryFolder();
        SafetensorsWriter.Write(folder.File("lora.safetensors"), [("lora_unet_mid_block_attentions_0_proj_in.alpha", tensor(4f))]);

        var error = Assert.Throws<ModelLoadException>(() => ModelLoader.LoadSingleFile(folder.File("lora.safetensors")));

        Assert.Contains("LoRA file", error.Message);
        Assert.Contains("--lora", error.Message);
    }

    [Fact]
    public void AnUnknownConfigurationNameIsRefused()
    {
        using var scope = NewDisposeScope();
        using var folder = new TemporaryFolder();
        using var source = ModelFiles.RandomTiny(10);
        ModelFiles.WriteSingleFile(source, folder.File("x.safetensors"), metadata: new Dictionary<string, string> { [ModelConfigs.MetadataKey] = "huge" });

        var error = Assert.Throws<ModelLoadException>(() => ModelLoader.LoadSingleFile(folder.File("x.safetensors")));

        Assert.Contains("'huge'", error.Message);
        Assert.Contains("sd15, tiny", error.Message);
    }

    [Fact]
    public void AMissingDiffusersFileIsNamedAndPickleBinsAreRefused()
    {
        using var folder = new TemporaryFolder();
        Directory.CreateDirectory(folder.File("unet"));
        File.WriteAllBytes(folder.File(Path.Combine("unet", "diffusion_pytorch_model.bin")), [0x80, 2]);

        var error = Assert.Throws<ModelLoadException>(() => ModelLoader.LoadDiffusersFolder(folder.Path));

        Assert.Contains(Path.Combine("unet", "diffusion_pytorch_model.safetensors"), error.Message);
        Assert.Contains("pickle", error.Message);
    }
}
