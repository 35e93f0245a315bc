using SweepRunner.Diffusion.Pipeline;
using SweepRunner.Diffusion.Tokenizer;
using SweepRunner.TestSupport;

namespace SweepRunner.Diffusion.Tests.Pipeline;

public class LongPromptTokensTests
{
    static string Words(int count) => string.Join(" ", Enumerable.Repeat("a", count));

    [Fact]
    public void AHundredTokenPromptMakesTwoChunksEachWrappedInBosAndEosAndTheNegativeMatchesThem()
    {
        using var folder = new TemporaryFolder();
        var tokenizer = TestTokenizers.Create(folder.Path);
        var a = Assert.Single(tokenizer.EncodeTokens("a"));
        Assert.Equal(100, tokenizer.EncodeTokens(Words(100)).Count);

        var layout = LongPromptTokens.Create(tokenizer, Words(100), "");

        Assert.Equal(2, layout.Chunks);
        Assert.Equal(2 * 77, layout.PromptIds.Count);
        int[] first = [tokenizer.BosId, .. Enumerable.Repeat(a, 75), tokenizer.EosId];
        int[] second = [tokenizer.BosId, .. Enumerable.Repeat(a, 25), .. Enumerable.Repeat(tokenizer.EosId, 51)];
        Assert.Equal(first, layout.PromptIds.Take(77));
        Assert.Equal(second, layout.PromptIds.Skip(77));
        Assert.Equal(2 * 77, layout.NegativeIds.Count);
        Assert.Equal([tokenizer.BosId, .. Enumerable.Repeat(tokenizer.EosId, 76)], layout.NegativeIds.Take(77));
        Assert.Equal(tokenizer.BosId, layout.NegativeIds[77]);
        Assert.False(layout.Truncated);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(75, 1)]
    [InlineData(76, 2)]
    [InlineData(150, 2)]
    [InlineData(151, 3)]
    [InlineData(225, 3)]
    public void ChunksAreAsManyAsTheLongerPromptNeeds(int tokens, int chunks)
    {
        using var folder = new TemporaryFolder();
        var tokenizer = TestTokenizers.Create(folder.Path);

        Assert.Equal(chunks, LongPromptTokens.Create(tokenizer, Words(tokens), "a").Chunks);
        Assert.Equal(chunks, LongPromptTokens.Create(tokenizer, "a", Words(tokens)).Chunks);
    }

    [Fact]
    public void MoreThan225TokensAreCutAtThreeChunks()
    {
        using var folder = new TemporaryFolder();
        var tokenizer = TestTokenizers.Create(folder.Path);

        var layout = LongPromptTokens.Create(tokenizer, Words(230), "");

        Assert.Equal(3, layout.Chunks);
        Assert.True(layout.Truncated);
        Assert.Equal(tokenizer.EosId, layout.PromptIds[^1]);
        Assert.Equal(tokenizer.EncodeTokens("a")[0], layout.PromptIds[^2]);
    }

    [Fact]
    public void EachTokenCarriesItsStretchsWeightAndSpecialsWeighOne()
    {
        using var folder = new TemporaryFolder();
        var tokenizer = TestTokenizers.Create(folder.Path);
        var circle = tokenizer.EncodeTokens("circle").Count;
        var blue = tokenizer.EncodeTokens("blue").Count;

        var layout = LongPromptTokens.Create(tokenizer, "a (circle:1.5) [blue]", "(stripes)");

        var weights = layout.PromptWeights;
        Assert.Equal(1f, weights[0]);
        Assert.Equal(1f, weights[1]);
        Assert.All(weights.Skip(2).Take(circle), w => Assert.Equal(1.5f, w));
        Assert.All(weights.Skip(2 + circle).Take(blue), w => Assert.Equal((float)(1 / 1.1), w));
        Assert.All(weights.Skip(2 + circle + blue), w => Assert.Equal(1f, w));
        Assert.Equal(1f, layout.NegativeWeights[0]);
        Assert.Equal(1.1f, layout.NegativeWeights[1]);
    }
}
