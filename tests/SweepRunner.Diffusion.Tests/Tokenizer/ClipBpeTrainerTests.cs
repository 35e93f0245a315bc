using SweepRunner.TestSupport;
using SweepRunner.Diffusion.Tokenizer;

namespace SweepRunner.Diffusion.Tests.Tokenizer;

public class ClipBpeTrainerTests
{
    static readonly string[] Captions =
    [
        "a red circle on a white background",
        "a blue square on a white background",
        "a green triangle on a black background",
        "a red square with stripes",
        "a blue circle with dots",
        "a green circle on a red background",
    ];

    [Fact]
    public void TheTrainedFilesLoadAndShortenTheCaptions()
    {
        using var folder = new TemporaryFolder();
        var vocabulary = ClipBpeTrainer.Train(Captions, vocabularySize: 600);
        vocabulary.Save(folder.Path);
        var tokenizer = ClipTokenizer.FromFolder(folder.Path);

        Assert.InRange(tokenizer.VocabularySize, 515, 600);
        Assert.Equal(tokenizer.VocabularySize - 2, tokenizer.BosId);
        Assert.Equal(tokenizer.VocabularySize - 1, tokenizer.EosId);
        Assert.Equal(["background</w>"], tokenizer.Tokenize("background"));
        foreach (var caption in Captions)
        {
            var tokens = tokenizer.EncodeTokens(caption);
            Assert.True(tokens.Count < caption.Length / 2, $"'{caption}' took {tokens.Count} tokens");
            Assert.DoesNotContain(tokenizer.EosId, tokens);
            Assert.Equal(caption, tokenizer.Decode(tokens));
        }
    }

    [Fact]
    public void UnseenTextStillEncodesThroughByteSymbols()
    {
        using var folder = new TemporaryFolder();
        ClipBpeTrainer.Train(Captions, vocabularySize: 560).Save(folder.Path);
        var tokenizer = ClipTokenizer.FromFolder(folder.Path);
        var tokens = tokenizer.EncodeTokens("zebra ünïcödé 42");
        Assert.DoesNotContain(tokenizer.UnknownId, tokens);
        Assert.Equal("zebra ünïcödé 4 2", tokenizer.Decode(tokens));
    }

    [Fact]
    public void TrainingIsDeterministic()
    {
        using var first = new TemporaryFolder();
        using var second = new TemporaryFolder();
        ClipBpeTrainer.Train(Captions, 580).Save(first.Path);
        ClipBpeTrainer.Train(Captions.Reverse(), 580).Save(second.Path);
        Assert.Equal(File.ReadAllBytes(Path.Combine(first.Path, "vocab.json")), File.ReadAllBytes(Path.Combine(second.Path, "vocab.json")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(first.Path, "merges.txt")), File.ReadAllBytes(Path.Combine(second.Path, "merges.txt")));
    }

    [Fact]
    public void TheMostFrequentPairIsMergedFirst()
    {
        // "ab ab ab cd": the pair (a, b</w>) occurs 3 times, (c, d</w>) once.
        var vocabulary = ClipBpeTrainer.Train(["ab ab ab cd"], vocabularySize: 600, minPairCount: 1);
        Assert.Equal(("a", "b</w>"), vocabulary.Merges[0]);
        Assert.Equal(("c", "d</w>"), vocabulary.Merges[1]);
        Assert.Equal(2, vocabulary.Merges.Count);
        Assert.Equal("ab</w>", vocabulary.Tokens[512]);
    }
}
