using SweepRunner.Diffusion.Tokenizer;

namespace SweepRunner.Diffusion.Tests.Tokenizer;

public class ClipPreTokenizerTests
{
    static readonly string[] Specials = ["<|startoftext|>", "<|endoftext|>"];

    [Theory]
    [InlineData("don't stop", new[] { "don", "'t", "stop" })]
    [InlineData("hi<s>there", new[] { "hi", "<", "s", ">", "there" })]
    [InlineData("92000,", new[] { "9", "2", "0", "0", "0", "," })]
    [InlineData("!!'s", new[] { "!!'", "s" })]
    [InlineData("'sam", new[] { "'s", "am" })]
    [InlineData("x<|endoftext|>y", new[] { "x", "<|endoftext|>", "y" })]
    [InlineData("\U0001D400\U0001D401 \U0001F60A!", new[] { "\U0001D400\U0001D401", "\U0001F60A!" })]
    [InlineData("\u0e1b\u0e35", new[] { "\u0e1b", "\u0e35" })]
    public void SplitsLikeClipsPattern(string text, string[] expected) =>
        Assert.Equal(expected, ClipPreTokenizer.Split(text, Specials));
}
