using SweepRunner.Diffusion.Model;
using SweepRunner.TestSupport;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Tests.Model;

public class Sd15LayoutTests
{
    [Fact]
    public void FullSd15ParametersMatchTheCheckpointKeysAndShapes()
    {
        // The meta device gives every parameter its shape without allocating the 4 GB of weights.
        using var model = new StableDiffusionModel(DiffusionModelConfig.Sd15, META);
        var expected = LdmKeyFixture.Sd15;
        var actual = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);

        var missing = expected.Keys.Except(actual.Keys).OrderBy(k => k).ToList();
        var extra = actual.Keys.Except(expected.Keys).OrderBy(k => k).ToList();
        var wrongShape = expected.Values
            .Where(e => actual.TryGetValue(e.Name, out var shape) && !shape.SequenceEqual(e.Shape))
            .Select(e => $"{e.Name}: model {TestWeights.Shape(actual[e.Name])}, checkpoint {TestWeights.Shape(e.Shape)}")
            .ToList();

        Assert.True(missing.Count == 0, "Not in the model: " + string.Join(", ", missing.Take(20)));
        Assert.True(extra.Count == 0, "Not in the checkpoint: " + string.Join(", ", extra.Take(20)));
        Assert.True(wrongShape.Count == 0, "Shapes differ: " + string.Join("; ", wrongShape.Take(20)));
        Assert.Equal(1130, actual.Count);
        Assert.Equal(686, actual.Keys.Count(k => k.StartsWith(CheckpointKeys.UnetPrefix, StringComparison.Ordinal)));
        Assert.Equal(248, actual.Keys.Count(k => k.StartsWith(CheckpointKeys.VaePrefix, StringComparison.Ordinal)));
        Assert.Equal(196, actual.Keys.Count(k => k.StartsWith(CheckpointKeys.TextEncoderPrefix, StringComparison.Ordinal)));
    }

    [Fact]
    public void FullSd15HasThePublishedParameterCounts()
    {
        using var model = new StableDiffusionModel(DiffusionModelConfig.Sd15, META);

        Assert.Equal(859_520_964L, model.Unet.parameters().Sum(p => p.numel()));
        Assert.Equal(123_060_480L, model.TextEncoder.parameters().Sum(p => p.numel()));
        Assert.Equal(83_653_863L, model.Vae.parameters().Sum(p => p.numel()));
    }
}
