using SweepRunner.Diffusion.Tokenizer;

namespace SweepRunner.Diffusion.Tests.Tokenizer;

public class ClipTextCleanerTests
{
    [Theory]
    [InlineData("  A  Red\t\nCUBE  ", "a red cube")]
    [InlineData("fish &amp; chips", "fish & chips")]
    [InlineData("&amp;lt;tag&amp;gt;", "<tag>")]
    [InlineData("\u00c9T\u00c9", "\u00e9t\u00e9")]
    public void CleansLikeClip(string input, string expected) => Assert.Equal(expected, ClipTextCleaner.Clean(input));
}
