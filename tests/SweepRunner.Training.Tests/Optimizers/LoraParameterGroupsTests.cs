using SweepRunner.Diffusion.Lora;
using SweepRunner.Diffusion.Model;
using SweepRunner.Training.Optimizers;
using static TorchSharp.torch;

namespace SweepRunner.Training.Tests.Optimizers;

public class LoraParameterGroupsTests
{
    [Fact]
    public void TextEncoderAndUnetGetTheirOwnLearningRatesAsSdScriptsGroupsThem()
    {
        manual_seed(1);
        using var model = new StableDiffusionModel(DiffusionModelConfig.Tiny);
        using var network = LoraNetwork.Create(model, new LoraNetworkOptions(4, 4));
        var groups = network.ParameterGroups(1e-4, 5e-5);
        Assert.Equal(["text_encoder", "unet"], groups.Select(g => g.Name));
        Assert.Equal([5e-5, 1e-4], groups.Select(g => g.LearningRate));
        Assert.Equal(network.TextEncoderModules.Count() * 2, groups[0].Parameters.Count);
        Assert.Equal(network.Parameters().Count(), groups.Sum(g => g.Parameters.Count));
    }

    [Fact]
    public void AUnetOnlyNetworkHasOneGroup()
    {
        manual_seed(2);
        using var model = new StableDiffusionModel(DiffusionModelConfig.Tiny);
        using var network = LoraNetwork.Create(model, new LoraNetworkOptions(4, 4, TrainTextEncoder: false));
        Assert.Equal("unet", Assert.Single(network.ParameterGroups(1e-4, 5e-5)).Name);
    }
}
