using SweepRunner.Diffusion.Checkpoints;
using SweepRunner.Diffusion.Lora;
using SweepRunner.Diffusion.Model;
using SweepRunner.TestSupport;
using TorchSharp;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Tests.Lora;

public class LoraNetworkTests
{
    static StableDiffusionModel TinyModel(long seed)
    {
        manual_seed(seed);
        var model = new StableDiffusionModel(DiffusionModelConfig.Tiny);
        TestWeights.Randomize(model, seed + 1);
        model.SetTrainable(false);
        return model;
    }

    static Tensor UnetOutput(StableDiffusionModel model)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(5);
        var latents = randn([2, 4, 8, 8], generator: generator);
        var context = randn([2, 77, 64], generator: generator);
        using var _ = no_grad();
        return model.Unet.forward(latents, tensor(new long[] { 100, 700 }), context).MoveToOuterDisposeScope();
    }

    static void Perturb(LoraNetwork network, long seed)
    {
        using var generator = new Generator((ulong)seed);
        using var _ = no_grad();
        foreach (var module in network.Modules) module.Up.normal_(0, 0.5, generator);
    }

    [Fact]
    public void ANewNetworkLeavesTheModelUnchangedAndIsInitialisedAsKohyaDoes()
    {
        using var model = TinyModel(1);
        using var before = UnetOutput(model);
        using var generator = new Generator(3);
        using var network = LoraNetwork.Create(model, new LoraNetworkOptions(4, 0), generator: generator);
        using var after = UnetOutput(model);
        Assert.True(TestWeights.Identical(before, after), "zero-initialised up weights must leave the output unchanged");

        foreach (var module in network.Modules)
        {
            Assert.Equal(1.0, module.Scale);
            Assert.Equal(4.0, module.Alpha);
            Assert.Equal(0f, module.Up.abs().max().item<float>());
            var fanIn = module.Down.numel() / module.Down.shape[0];
            var bound = 1 / Math.Sqrt(fanIn);
            var max = module.Down.abs().max().item<float>();
            Assert.InRange(max, 0.5 * bound, bound);
            Assert.True(module.Down.requires_grad && module.Up.requires_grad);
            Assert.Equal(ScalarType.Float32, module.Down.dtype);
        }
        Assert.Equal(network.Modules.Count * 2, network.Parameters().Count());
    }

    [Fact]
    public void DeltaIsUpTimesDownTimesMultiplierAndAlphaOverDim()
    {
        using var model = TinyModel(2);
        using var network = LoraNetwork.Create(model, new LoraNetworkOptions(8, 2));
        Perturb(network, 4);
        var module = network.Modules.First(m => m.Slot.Kind == LoraSlotKind.Linear);
        module.Multiplier = 0.5;
        using var scope = NewDisposeScope();
        var x = randn(3, module.Slot.InFeatures);
        var expected = x.matmul(module.Down.t()).matmul(module.Up.t()) * (0.5 * 2.0 / 8.0);
        var delta = module.Forward(x);
        Assert.True(allclose(delta, expected, 1e-5, 1e-6));
    }

    [Fact]
    public void DropoutActsOnlyWhileTraining()
    {
        using var model = TinyModel(3);
        using var network = LoraNetwork.Create(model, new LoraNetworkOptions(8, 8, Dropout: 0.5));
        Perturb(network, 5);
        var module = network.Modules.First(m => m.Slot.Kind == LoraSlotKind.Linear);
        using var scope = NewDisposeScope();
        var x = randn(16, module.Slot.InFeatures);
        var evaluation = module.Forward(x);
        using var generator = new Generator(9);
        network.SetTraining(true, generator);
        var training = module.Forward(x);
        network.SetTraining(false);
        Assert.False(allclose(evaluation, training));
        Assert.True(TestWeights.Identical(evaluation, module.Forward(x)));
    }

    [Fact]
    public void ASavedFileLoadsBackWithIdenticalOutputs()
    {
        using var folder = new TemporaryFolder();
        using var model = TinyModel(4);
        var options = new LoraNetworkOptions(4, 1, ConvDim: 2, ConvAlpha: 1);
        Tensor trained;
        var path = folder.File("a.safetensors");
        using (var network = LoraNetwork.Create(model, options))
        {
            Perturb(network, 6);
            trained = UnetOutput(model);
            network.Save(path, ScalarType.Float32, new Dictionary<string, string> { ["ss_network_dim"] = "4" });
        }
        using var _ = trained;
        using var baseline = UnetOutput(model);
        Assert.False(TestWeights.Identical(baseline, trained));

        using var loaded = LoraNetwork.Create(model, options);
        loaded.Load(path);
        using var reloaded = UnetOutput(model);
        Assert.True(TestWeights.Identical(trained, reloaded), "the reloaded LoRA must reproduce the trained output exactly");

        using var file = SafetensorsFile.Open(path);
        Assert.Equal(loaded.Modules.Count * 3, file.Entries.Count);
        Assert.Empty(file.GetEntry(loaded.Modules[0].Name + ".alpha").Shape);
        Assert.Equal(file.ComputeModelHash(), loaded.ComputeModelHash(ScalarType.Float32));
    }

    [Fact]
    public void Fp16FilesHoldTheWeightsRoundedToHalfPrecision()
    {
        using var folder = new TemporaryFolder();
        using var model = TinyModel(5);
        using var network = LoraNetwork.Create(model, new LoraNetworkOptions(4, 1));
        Perturb(network, 7);
        var path = folder.File("half.safetensors");
        network.Save(path, ScalarType.Float16, null);
        using var file = SafetensorsFile.Open(path);
        Assert.All(file.Entries, e => Assert.Equal(SafetensorsDtype.F16, e.Dtype));
        var module = network.Modules[3];
        using var stored = file.Load(module.Name + ".lora_up.weight");
        using var rounded = module.Up.detach().to_type(ScalarType.Float16);
        Assert.True(TestWeights.Identical(stored, rounded));
    }

    [Fact]
    public void LoadingAFileOfAnotherShapeNamesTheKeys()
    {
        using var folder = new TemporaryFolder();
        using var model = TinyModel(6);
        var path = folder.File("dim8.safetensors");
        using (var network = LoraNetwork.Create(model, new LoraNetworkOptions(8, 1, TrainTextEncoder: false)))
            network.Save(path, ScalarType.Float16, null);
        using var otherDim = LoraNetwork.Create(model, new LoraNetworkOptions(4, 1, TrainTextEncoder: false));
        var error = Assert.Throws<InvalidDataException>(() => otherDim.Load(path));
        Assert.Contains("lora_down.weight' has shape [8,", error.Message);
        otherDim.Dispose();
        using var withTextEncoder = LoraNetwork.Create(model, new LoraNetworkOptions(8, 1));
        var missing = Assert.Throws<InvalidDataException>(() => withTextEncoder.Load(path));
        Assert.Contains("missing 'lora_te_text_model_encoder_layers_0_self_attn_q_proj.lora_down.weight'", missing.Message);
        Assert.Contains(path, error.Message);
    }
}
