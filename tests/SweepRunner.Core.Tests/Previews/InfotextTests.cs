using SweepRunner.Core.Previews;

namespace SweepRunner.Core.Tests.Previews;

public class InfotextTests
{
    static GenerationParameters Sample() => new("a red cube, studio light", "blurry, lowres", 30, "DDIM", 7.5, 42, 512, 512)
    {
        ModelName = "v1-5-pruned-emaonly",
        Extra = [new("Lora", "cube-style"), new("Lora hashes", "cube-style: 0123456789ab")],
    };

    [Fact]
    public void FormatsLikeAutomatic1111()
    {
        Assert.Equal(
            "a red cube, studio light\nNegative prompt: blurry, lowres\n"
            + "Steps: 30, Sampler: DDIM, CFG scale: 7.5, Seed: 42, Size: 512x512, Model: v1-5-pruned-emaonly, Lora: cube-style, Lora hashes: \"cube-style: 0123456789ab\"",
            Infotext.Format(Sample()));
    }

    [Fact]
    public void WholeCfgScalesKeepTheirDecimalPointAndClipSkipAppearsAboveOne()
    {
        var text = Infotext.Format(new GenerationParameters("cat", null, 20, "Euler a", 7, 1, 640, 512) { ClipSkip = 2 });
        Assert.Equal("cat\nSteps: 20, Sampler: Euler a, CFG scale: 7.0, Seed: 1, Size: 640x512, Clip skip: 2", text);
    }

    [Fact]
    public void ParsingGivesBackWhatWasFormatted()
    {
        var parsed = Infotext.Parse(Infotext.Format(Sample()));
        Assert.Equal("a red cube, studio light", parsed.Prompt);
        Assert.Equal("blurry, lowres", parsed.NegativePrompt);
        Assert.Equal("30", parsed.Values["Steps"]);
        Assert.Equal("DDIM", parsed.Values["Sampler"]);
        Assert.Equal("7.5", parsed.Values["CFG scale"]);
        Assert.Equal("512x512", parsed.Values["Size"]);
        Assert.Equal("cube-style: 0123456789ab", parsed.Values["Lora hashes"]);
    }

    [Fact]
    public void ParsesAutomatic1111sOwnExample()
    {
        // The example in the docstring of AUTOMATIC1111's parse_generation_parameters.
        const string text = "girl with an artist's beret, determined, blue eyes\nNegative prompt: ugly, fat, (((deformed)))\nSteps: 20, Sampler: Euler a, CFG scale: 7, Seed: 965400086, Size: 512x512, Model hash: 45dee52b";
        var parsed = Infotext.Parse(text);
        Assert.Equal("girl with an artist's beret, determined, blue eyes", parsed.Prompt);
        Assert.Equal("ugly, fat, (((deformed)))", parsed.NegativePrompt);
        Assert.Equal("965400086", parsed.Values["Seed"]);
        Assert.Equal("45dee52b", parsed.Values["Model hash"]);
        Assert.Equal(6, parsed.Values.Count);
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a, b", "\"a, b\"")]
    [InlineData("k: v", "\"k: v\"")]
    [InlineData("say \"hi\",\nok", "\"say \\\"hi\\\",\\nok\"")]
    [InlineData("café, ü", "\"café, ü\"")]
    public void QuotesLikeAutomatic1111(string value, string expected) => Assert.Equal(expected, Infotext.Quote(value));

    [Fact]
    public void AMultiLinePromptWithoutSettingsStaysAPrompt()
    {
        var parsed = Infotext.Parse("line one\nline two");
        Assert.Equal("line one\nline two", parsed.Prompt);
        Assert.Empty(parsed.Values);
    }
}
