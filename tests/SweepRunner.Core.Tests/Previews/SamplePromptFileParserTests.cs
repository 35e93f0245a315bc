using SweepRunner.Core.Previews;

namespace SweepRunner.Core.Tests.Previews;

public class SamplePromptFileParserTests
{
    [Fact]
    public void DefaultsAreSdScripts()
    {
        var prompt = Assert.Single(SamplePromptFileParser.Parse("a red cube on a table\n", "prompts.txt").Prompts);
        Assert.Equal(new SamplePrompt(1, "a red cube on a table", null, 512, 512, null, 30, 7.5, null), prompt);
    }

    [Fact]
    public void AllOptionsAreRead()
    {
        const string text = "masterpiece, a cat --n lowres, bad anatomy --w 768 --h 640 --d 1234 --s 20 --l 6.5 --ss euler_a";
        var prompt = Assert.Single(SamplePromptFileParser.Parse(text, "p.txt").Prompts);
        Assert.Equal("masterpiece, a cat", prompt.Prompt);
        Assert.Equal("lowres, bad anatomy", prompt.NegativePrompt);
        Assert.Equal((768, 640), (prompt.Width, prompt.Height));
        Assert.Equal(1234, prompt.Seed);
        Assert.Equal(20, prompt.Steps);
        Assert.Equal(6.5, prompt.GuidanceScale);
        Assert.Equal("euler_a", prompt.Sampler);
    }

    [Fact]
    public void CommentsAndBlankLinesAreSkippedAndLineNumbersKept()
    {
        const string text = "# preview prompts\r\n\r\nfirst --d 1\r\n   \r\n#second\r\n  # indented hash is a prompt, as in sd-scripts\r\nthird";
        var file = SamplePromptFileParser.Parse(text, "p.txt");
        Assert.Equal(new[] { "first", "# indented hash is a prompt, as in sd-scripts", "third" }, file.Prompts.Select(p => p.Prompt));
        Assert.Equal(new[] { 3, 6, 7 }, file.Prompts.Select(p => p.LineNumber));
        Assert.Empty(file.Warnings);
    }

    [Fact]
    public void OptionsAreCaseInsensitiveAndTakeALeadingNumber()
    {
        var prompt = Assert.Single(SamplePromptFileParser.Parse("x --W 520px --S 12 --L 4", "p.txt").Prompts);
        Assert.Equal(520, prompt.Width);
        Assert.Equal(12, prompt.Steps);
        Assert.Equal(4, prompt.GuidanceScale);
    }

    [Fact]
    public void SizesAreRoundedAndStepsClampedWithWarnings()
    {
        var file = SamplePromptFileParser.Parse("x --w 515 --h 10 --s 5000", "p.txt");
        var prompt = Assert.Single(file.Prompts);
        Assert.Equal((512, 64, 1000), (prompt.Width, prompt.Height, prompt.Steps));
        Assert.Equal(3, file.Warnings.Count);
        Assert.All(file.Warnings, w => Assert.StartsWith("p.txt:1: ", w));
    }

    [Fact]
    public void UnknownAndUnusableOptionsAreIgnoredButReported()
    {
        var file = SamplePromptFileParser.Parse("a dog --x 3 --g 3.5 --l 1.2.3 --d", "prompts.txt");
        var prompt = Assert.Single(file.Prompts);
        Assert.Equal("a dog", prompt.Prompt);
        Assert.Equal(7.5, prompt.GuidanceScale);
        Assert.Null(prompt.Seed);
        Assert.Equal(4, file.Warnings.Count);
        Assert.Contains(file.Warnings, w => w.Contains("unknown option '--x 3'"));
        Assert.Contains(file.Warnings, w => w.Contains("--g 3.5"));
        Assert.Contains(file.Warnings, w => w.Contains("--l 1.2.3"));
        Assert.Contains(file.Warnings, w => w.Contains("'--d'"));
    }

    [Fact]
    public void ADoubleDashInsideAWordDoesNotSplit()
    {
        var prompt = Assert.Single(SamplePromptFileParser.Parse("a--b c --n d--e", "p.txt").Prompts);
        Assert.Equal("a--b c", prompt.Prompt);
        Assert.Equal("d--e", prompt.NegativePrompt);
    }

    [Fact]
    public void AMissingFileIsNamed()
    {
        var path = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "prompts.txt");
        var error = Assert.Throws<FileNotFoundException>(() => SamplePromptFileParser.Load(path));
        Assert.Contains(path, error.Message);
    }
}
