using SweepRunner.Diffusion.Model;
using SweepRunner.Diffusion.Pipeline;
using SweepRunner.Diffusion.TextEncoder;
using SweepRunner.TestSupport;
using SweepRunner.Diffusion.Tokenizer;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Tests.Pipeline;

public class PromptEncoderTests
{
    [Fact]
    public void EachPromptBecomesConditioningOf77PositionsWhateverItsBatch()
    {
        using var scope = NewDisposeScope();
        using var folder = new TemporaryFolder();
        using var model = ModelFiles.RandomTiny(21);
        var encoder = new PromptEncoder(model.TextEncoder, TestTokenizers.Create(folder.Path));

        var both = encoder.Encode(["a red circle", "a green square"]);
        var positive = encoder.Encode(["a red circle"]);
        var negative = encoder.Encode(["a green square"]);

        Assert.Equal([2L, 77, 64], both.shape);
        Assert.Equal([1L, 77, 64], positive.shape);
        Assert.True(positive[0].allclose(both[0], rtol: 1e-5, atol: 1e-6));
        Assert.True(negative[0].allclose(both[1], rtol: 1e-5, atol: 1e-6));
        Assert.False(both[0].allclose(both[1]));
    }

    [Fact]
    public void ClipSkipSelectsAnEarlierLayerAndIsBounded()
    {
        using var scope = NewDisposeScope();
        using var folder = new TemporaryFolder();
        using var model = ModelFiles.RandomTiny(22);
        var encoder = new PromptEncoder(model.TextEncoder, TestTokenizers.Create(folder.Path));

        var last = encoder.Encode(["a red circle"], clipSkip: 1);
        var skipped = encoder.Encode(["a red circle"], clipSkip: 2);

        Assert.False(last.allclose(skipped));
        Assert.Throws<ArgumentOutOfRangeException>(() => encoder.Encode(["a red circle"], clipSkip: 3));
    }

    [Fact]
    public void ATokenizerLargerThanTheEmbeddingIsRefused()
    {
        using var folder = new TemporaryFolder();
        ClipBpeTrainer.Train(TestTokenizers.Captions, 600).Save(folder.Path);
        using var small = new ClipTextModel(ClipTextConfig.Tiny with { VocabSize = 520 });

        var error = Assert.Throws<ArgumentException>(() => new PromptEncoder(small, ClipTokenizer.FromFolder(folder.Path)));

        Assert.Contains("do not belong to this model", error.Message);
    }

    [Fact]
    public void AWeightOfOneGivesExactlyThePlainPromptsConditioning()
    {
        using var scope = NewDisposeScope();
        using var folder = new TemporaryFolder();
        using var model = ModelFiles.RandomTiny(23);
        var encoder = new PromptEncoder(model.TextEncoder, TestTokenizers.Create(folder.Path));

        var (plain, plainNegative) = encoder.EncodeWeighted("a red circle", "stripes");
        var (weighted, weightedNegative) = encoder.EncodeWeighted("a (red:1.0) circle", "(stripes:1.0)");

        Assert.True(plain.equal(weighted).all().item<bool>());
        Assert.True(plainNegative.equal(weightedNegative).all().item<bool>());
        Assert.True(plain.equal(encoder.Encode(["a red circle"])).all().item<bool>(), "one chunk without weights is the 77-token encoding");
    }

    [Fact]
    public void AWeightScalesItsTokensThenTheWholeIsRescaledToItsFormerMean()
    {
        using var scope = NewDisposeScope();
        using var folder = new TemporaryFolder();
        using var model = ModelFiles.RandomTiny(24);
        var tokenizer = TestTokenizers.Create(folder.Path);
        var encoder = new PromptEncoder(model.TextEncoder, tokenizer);
        var before = tokenizer.EncodeTokens("a").Count;
        var red = tokenizer.EncodeTokens("red").Count;

        var (weighted, _) = encoder.EncodeWeighted("a (red:1.5) circle", "", clipSkip: 2);

        var plain = encoder.Encode(["a red circle"], clipSkip: 2);
        var scale = ones(1, 77, 1);
        scale[0, TensorIndex.Slice(1 + before, 1 + before + red)] = tensor(1.5f);
        var expected = plain * scale;
        expected = expected * (plain.mean() / expected.mean());
        Assert.False(weighted.allclose(plain));
        Assert.True(weighted.allclose(expected, rtol: 1e-5, atol: 1e-6));
        Assert.Equal(plain.mean().item<float>(), weighted.mean().item<float>(), 1e-5f);
    }

    [Fact]
    public void ALongPromptIsEncodedChunkByChunkAndTheNegativeGetsAsManyChunks()
    {
        using var scope = NewDisposeScope();
        using var folder = new TemporaryFolder();
        using var model = ModelFiles.RandomTiny(25);
        var tokenizer = TestTokenizers.Create(folder.Path);
        var encoder = new PromptEncoder(model.TextEncoder, tokenizer);
        Assert.Single(tokenizer.EncodeTokens("a"));
        var first = string.Join(" ", Enumerable.Repeat("a", 75));
        var second = "a red circle";

        var (conditioning, unconditioning) = encoder.EncodeWeighted(first + " " + second, "stripes");

        Assert.Equal([1L, 154, 64], conditioning.shape);
        Assert.Equal([1L, 154, 64], unconditioning.shape);
        Assert.True(conditioning[.., ..77].allclose(encoder.Encode([first]), rtol: 1e-5, atol: 1e-6));
        Assert.True(conditioning[.., 77..].allclose(encoder.Encode([second]), rtol: 1e-5, atol: 1e-6));
        Assert.True(unconditioning[.., ..77].allclose(encoder.Encode(["stripes"]), rtol: 1e-5, atol: 1e-6));
        Assert.True(unconditioning[.., 77..].allclose(encoder.Encode([""]), rtol: 1e-5, atol: 1e-6));
    }
}
