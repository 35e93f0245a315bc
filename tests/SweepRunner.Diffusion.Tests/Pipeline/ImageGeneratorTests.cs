using SweepRunner.Diffusion.Pipeline;
using SweepRunner.Diffusion.Sampling;
using SweepRunner.TestSupport;
using TorchSharp;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Tests.Pipeline;

public class ImageGeneratorTests
{
    static ImageRequest Small(long seed, SamplerKind sampler = SamplerKind.Ddim, string prompt = "a red circle") =>
        new(prompt, "stripes", Steps: 3, GuidanceScale: 5, Sampler: sampler, Seed: seed, Width: 64, Height: 128);

    [Theory]
    [InlineData(SamplerKind.Ddim)]
    [InlineData(SamplerKind.EulerAncestral)]
    [InlineData(SamplerKind.Euler)]
    public void TheSameSeedGivesTheSamePixelsAndAnotherSeedOthers(SamplerKind sampler)
    {
        using var folder = new TemporaryFolder();
        using var model = ModelFiles.RandomTiny(11);
        var generator = new ImageGenerator(model, TestTokenizers.Create(folder.Path));

        var first = generator.Generate(Small(5, sampler));
        var again = generator.Generate(Small(5, sampler));
        var other = generator.Generate(Small(6, sampler));

        Assert.Equal(64, first.Width);
        Assert.Equal(128, first.Height);
        Assert.Equal(first.Pixels, again.Pixels);
        Assert.NotEqual(first.Pixels, other.Pixels);
        Assert.True(first.Pixels.Distinct().Count() > 16, "the image should not be flat");
    }

    [Fact]
    public void ThePromptChangesTheImage()
    {
        using var folder = new TemporaryFolder();
        using var model = ModelFiles.RandomTiny(12);
        var generator = new ImageGenerator(model, TestTokenizers.Create(folder.Path));

        var circle = generator.Generate(Small(5, prompt: "a red circle"));
        var square = generator.Generate(Small(5, prompt: "a green square"));

        Assert.NotEqual(circle.Pixels, square.Pixels);
    }

    [Fact]
    public void AnAttachedAdapterChangesTheImageAndDetachingRestoresIt()
    {
        using var folder = new TemporaryFolder();
        using var model = ModelFiles.RandomTiny(13);
        var generator = new ImageGenerator(model, TestTokenizers.Create(folder.Path));
        var slot = model.LoraSlots(SweepRunner.Diffusion.Lora.LoraTargets.Default).First(s => s.Path.EndsWith("attn2.to_k", StringComparison.Ordinal));
        using var adapter = new ScaledDeltaAdapter(slot.InFeatures, slot.OutFeatures, 4, 0.5, seed: 3);

        var plain = generator.Generate(Small(5));
        slot.Layer.Attach(adapter);
        var adapted = generator.Generate(Small(5));
        slot.Layer.Detach();
        var restored = generator.Generate(Small(5));

        Assert.True(adapter.Calls > 0);
        Assert.NotEqual(plain.Pixels, adapted.Pixels);
        Assert.Equal(plain.Pixels, restored.Pixels);
    }

    [Fact]
    public void TwoHundredStepsThroughTheFullPipelineKeepLiveTensorsFlat()
    {
        using var folder = new TemporaryFolder();
        using var model = ModelFiles.RandomTiny(14);
        var generator = new ImageGenerator(model, TestTokenizers.Create(folder.Path));
        var liveAfterStep = new List<long>();
        var request = Small(1) with { Steps = 200, Height = 64, OnStep = (_, _) => liveAfterStep.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount) };

        using var outer = NewDisposeScope();
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        var image = generator.GenerateTensor(request);

        Assert.Equal(200, liveAfterStep.Count);
        Assert.Equal(liveAfterStep[0], liveAfterStep.Max());
        Assert.Equal(liveAfterStep[0], liveAfterStep.Min());
        Assert.Equal(before + 1, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        Assert.Equal([1L, 3, 64, 64], image.shape);
        image.Dispose();
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Theory]
    [InlineData(100, 64, "multiple of 64")]
    [InlineData(72, 64, "multiple of 64")]
    [InlineData(64, 32, "between 64 and 2048")]
    [InlineData(64, 4096, "between 64 and 2048")]
    public void SizesTheModelCannotTakeAreRefusedWithTheRule(int width, int height, string rule)
    {
        using var folder = new TemporaryFolder();
        using var model = ModelFiles.RandomTiny(15);
        var generator = new ImageGenerator(model, TestTokenizers.Create(folder.Path));

        var error = Assert.ThrowsAny<ArgumentException>(() => generator.Generate(Small(1) with { Width = width, Height = height }));

        Assert.Contains(rule, error.Message);
    }
}
