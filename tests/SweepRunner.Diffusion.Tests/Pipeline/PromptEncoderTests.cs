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
}
