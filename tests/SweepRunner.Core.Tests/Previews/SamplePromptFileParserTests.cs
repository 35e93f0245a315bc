using SweepRunner.Core.Previews;

namespace SweepRunner.Core.Tests.Previews;

public class SamplePromptFileParserTests
{
    static string OnlyError(string text, string source = "p.txt")
    {
        var file = SamplePromptFileParser.Parse(text, source);
        return Assert.Single(file.Errors).ToString();
    }

    [Fact]
    public void DefaultsAreSdScripts()
    {
        var file = SamplePromptFileParser.Parse("a red cube on a table\n", "prompts.txt");
        var prompt = Assert.Single(file.Prompts);
        Assert.Equal(new SamplePrompt(1, "a red cube on a table", null, 512, 512, null, 30, 7.5, null), prompt);
        Assert.Empty(file.Errors);
    }

    [Fact]
    public void AllOptionsAreRead()
    {
        const string text = "masterpiece, a cat --n lowres, bad anatomy --w 768 --h 640 --d 1234 --s 20 --l 6.5 --ss euler_a";
        var file = SamplePromptFileParser.Parse(text, "p.txt");
        var prompt = Assert.Single(file.Prompts);
        Assert.Equal("masterpiece, a cat", prompt.Prompt);
        Assert.Equal("lowres, bad anatomy", prompt.NegativePrompt);
        Assert.Equal((768, 640), (prompt.Width, prompt.Height));
        Assert.Equal(1234, prompt.Seed);
        Assert.Equal(20, prompt.Steps);
        Assert.Equal(6.5, prompt.GuidanceScale);
        Assert.Equal("euler_a", prompt.Sampler);
        Assert.Empty(file.Errors);
        Assert.Empty(file.Warnings);
    }

    [Fact]
    public void CommentsAndBlankLinesAreSkippedAndLineNumbersKept()
    {
        const string text = "# preview prompts\r\n\r\nfirst --d 1\r\n   \r\n#second\r\n  # indented hash is a prompt, as in sd-scripts\r\nthird";
        var file = SamplePromptFileParser.Parse(text, "p.txt");
        Assert.Equal(new[] { "first", "# indented hash is a prompt, as in sd-scripts", "third" }, file.Prompts.Select(p => p.Prompt));
        Assert.Equal(new[] { 3, 6, 7 }, file.Prompts.Select(p => p.LineNumber));
        Assert.Empty(file.Warnings);
        Assert.Empty(file.Errors);
    }

    [Fact]
    public void OptionNamesAreCaseInsensitiveButValuesMustBeWhole()
    {
        var file = SamplePromptFileParser.Parse("x --W 576 --S 12 --L 4 --SS Euler a", "p.txt");
        var prompt = Assert.Single(file.Prompts);
        Assert.Equal((576, 12, 4.0, "euler_a"), (prompt.Width, prompt.Steps, prompt.GuidanceScale, prompt.Sampler));
        Assert.Empty(file.Errors);

        // sd-scripts reads the leading digits of '520px'; SweepRunner refuses what it would have to guess.
        Assert.Equal("p.txt:1: --w 520px: width must be a multiple of 64 between 64 and 2048. Write e.g. --w 512 (SD 1.x sizes; README.md, 'Preview prompt files')",
            OnlyError("x --w 520px"));
    }

    [Fact]
    public void AnImpossibleSizeIsAnErrorNamingFileLineValueAndRule()
    {
        var file = SamplePromptFileParser.Parse("# previews\nfine --w 512\na cat --w 999999999 --h 999999999\n", "prompts.txt");

        Assert.Equal(2, file.Errors.Count);
        Assert.StartsWith("prompts.txt:3: --w 999999999: width must be a multiple of 64 between 64 and 2048. Write e.g. --w 2048", file.Errors[0].ToString());
        Assert.StartsWith("prompts.txt:3: --h 999999999: height must be a multiple of 64 between 64 and 2048", file.Errors[1].ToString());
        Assert.Equal((3, 3), (file.Errors[0].Where.Line, file.Errors[1].Where.Line));
    }

    [Theory]
    [InlineData("64", true)]
    [InlineData("128", true)]
    [InlineData("2048", true)]
    [InlineData("0", false)]
    [InlineData("32", false)]
    [InlineData("520", false)]
    [InlineData("515", false)]
    [InlineData("2112", false)]
    [InlineData("99999999999999999999999", false)]
    [InlineData("-64", false)]
    [InlineData("", false)]
    public void SizesAreMultiplesOf64From64To2048(string value, bool valid)
    {
        var file = SamplePromptFileParser.Parse($"x --h {value}", "p.txt");
        Assert.Equal(valid, file.Errors.Count == 0);
        if (valid) Assert.Equal(int.Parse(value, System.Globalization.CultureInfo.InvariantCulture), Assert.Single(file.Prompts).Height);
    }

    [Theory]
    [InlineData("--s 1", true)]
    [InlineData("--s 1000", true)]
    [InlineData("--s 0", false)]
    [InlineData("--s 1001", false)]
    [InlineData("--s 5000", false)]
    [InlineData("--s 2.5", false)]
    [InlineData("--l 0", true)]
    [InlineData("--l 30", true)]
    [InlineData("--l 7.5", true)]
    [InlineData("--l 30.5", false)]
    [InlineData("--l -1", false)]
    [InlineData("--l NaN", false)]
    [InlineData("--l Infinity", false)]
    [InlineData("--l 1.2.3", false)]
    [InlineData("--d 0", true)]
    [InlineData("--d 9223372036854775807", true)]
    [InlineData("--d 9223372036854775808", false)]
    [InlineData("--d -1", false)]
    [InlineData("--d", false)]
    [InlineData("--ss ddim", true)]
    [InlineData("--ss k_euler", true)]
    [InlineData("--ss DDIM", true)]
    [InlineData("--ss dpmpp_2m", false)]
    public void StepsCfgSeedsAndSamplersHaveLimits(string option, bool valid)
    {
        var file = SamplePromptFileParser.Parse($"a dog {option}", "p.txt");
        Assert.True(valid == (file.Errors.Count == 0), string.Join("; ", file.Errors));
        Assert.All(file.Errors, e => Assert.StartsWith("p.txt:1: --", e.ToString()));
    }

    [Fact]
    public void EachMessageSaysWhatIsWrongAndWhatToWrite()
    {
        Assert.Equal("p.txt:1: --s 5000: steps must be a whole number from 1 to 1000. Write e.g. --s 30 (sd-scripts' default)", OnlyError("x --s 5000"));
        Assert.Equal("p.txt:1: --l 99: the CFG scale must be a finite number from 0 to 30. Write e.g. --l 7.5 (sd-scripts' default)", OnlyError("x --l 99"));
        Assert.StartsWith("p.txt:1: --d 99999999999999999999: the seed must be a whole number from 0 to 9223372036854775807. ", OnlyError("x --d 99999999999999999999"));
        Assert.Equal("p.txt:1: --ss dpm_2: sampler 'dpm_2' is not available. Use one of ddim (the sd-scripts default), euler, euler_a (also spelled k_euler, k_euler_a, \"Euler a\")",
            OnlyError("x --ss dpm_2"));
        Assert.StartsWith("p.txt:1: unknown option '--sd 5'. Did you mean '--s'? The options are --n, --w, --h, --s, --d, --l, --ss", OnlyError("x --sd 5"));
    }

    [Fact]
    public void UnknownAndMalformedOptionsAreErrorsAndOtherFamiliesOptionsWarnings()
    {
        var file = SamplePromptFileParser.Parse("a dog --x 3 --g 3.5 --l 1.2.3 --d", "prompts.txt");
        var prompt = Assert.Single(file.Prompts);
        Assert.Equal("a dog", prompt.Prompt);
        Assert.Equal(7.5, prompt.GuidanceScale);
        Assert.Null(prompt.Seed);
        Assert.Equal(3, file.Errors.Count);
        Assert.Contains(file.Errors, e => e.Problem == "unknown option '--x 3'");
        Assert.Contains(file.Errors, e => e.Problem.StartsWith("--l 1.2.3: ", StringComparison.Ordinal));
        Assert.Contains(file.Errors, e => e.Problem.StartsWith("--d (no value): ", StringComparison.Ordinal));
        Assert.Contains("prompts.txt:1: '--g 3.5' applies to other model families", Assert.Single(file.Warnings));
    }

    [Fact]
    public void ControlCharactersInALineAreRefused()
    {
        Assert.StartsWith("p.txt:2: the line holds the control character U+0000", OnlyError("fine\na\0b --w 512\n"));
        Assert.StartsWith("p.txt:1: the line holds the control character U+001B", OnlyError("a \u001b[2J cat"));
        Assert.Empty(SamplePromptFileParser.Parse("a\tcat", "p.txt").Errors);
    }

    [Fact]
    public void ADoubleDashInsideAWordDoesNotSplit()
    {
        var prompt = Assert.Single(SamplePromptFileParser.Parse("a--b c --n d--e", "p.txt").Prompts);
        Assert.Equal("a--b c", prompt.Prompt);
        Assert.Equal("d--e", prompt.NegativePrompt);
    }

    [Fact]
    public void AMissingFileAFolderAndAFileOverTheCapAreErrorsNamingTheFile()
    {
        using var folder = new TemporaryFolder();
        var missing = SamplePromptFileParser.Load(Path.Combine(folder.Path, "prompts.txt"), "sweeps/prompts.txt");
        Assert.StartsWith("sweeps/prompts.txt: prompt file not found. ", Assert.Single(missing.Errors).ToString());

        Assert.Contains("is a folder", Assert.Single(SamplePromptFileParser.Load(folder.Path).Errors).Problem);

        var large = Path.Combine(folder.Path, "large.txt");
        File.WriteAllText(large, new string('a', (int)PreviewLimits.MaxPromptFileBytes + 1));
        Assert.Contains("larger than 1,048,576 bytes", Assert.Single(SamplePromptFileParser.Load(large).Errors).Problem);

        var atCap = Path.Combine(folder.Path, "at-cap.txt");
        File.WriteAllText(atCap, "\uFEFFa cat --w 512\n" + new string('#', (int)PreviewLimits.MaxPromptFileBytes - 18) + "\n");
        Assert.Equal(PreviewLimits.MaxPromptFileBytes, new FileInfo(atCap).Length);
        var read = SamplePromptFileParser.Load(atCap);
        Assert.Empty(read.Errors);
        Assert.Equal("a cat", Assert.Single(read.Prompts).Prompt);
    }
}
