using SweepRunner.Diffusion.Pipeline;

namespace SweepRunner.Diffusion.Tests.Pipeline;

/// <summary>The expected pairs are the doctests of sd-scripts' library/lpw_stable_diffusion.py parse_prompt_attention.</summary>
public class PromptAttentionTests
{
    static (string, double)[] Parse(string prompt) => PromptAttention.Parse(prompt).Select(w => (w.Text, w.Weight)).ToArray();

    [Fact]
    public void TheDocumentedExamplesParseAsInSdScripts()
    {
        Assert.Equal([("normal text", 1.0)], Parse("normal text"));
        Assert.Equal([("an ", 1.0), ("important", 1.1), (" word", 1.0)], Parse("an (important) word"));
        Assert.Equal([("unbalanced", 1.1)], Parse("(unbalanced"));
        Assert.Equal([("(literal]", 1.0)], Parse(@"\(literal\]"));
        Assert.Equal([("unnecessaryparens", 1.1)], Parse("(unnecessary)(parens)"));
        Assert.Equal(
            [("a ", 1.0), ("house", 1.5730000000000004), (" ", 1.1), ("on", 1.0), (" a ", 1.1), ("hill", 0.55), (", sun, ", 1.1),
                ("sky", 1.4641000000000006), (".", 1.1)],
            Parse("a (((house:1.3)) [on] a (hill:0.5), sun, (((sky)))."));
    }

    [Fact]
    public void ExplicitWeightsSquareBracketsAndEscapesFollowA1111()
    {
        Assert.Equal([("a ", 1.0), ("cat", 1.2)], Parse("a (cat:1.2)"));
        Assert.Equal([("a ", 1.0), ("cat", 1 / 1.1)], Parse("a [cat]"));
        Assert.Equal([("cat", 1.0)], Parse("(cat:1.0)"));
        Assert.Equal([("a:b", 1.0)], Parse("a:b"));
        Assert.Equal([("smile) ", 1.0), ("x", 0.5)], Parse("smile) (x:.5)"));
        Assert.Equal([(@"back\slash", 1.0)], Parse(@"back\\slash"));
        Assert.Equal([("a BREAK b", 1.0)], Parse("a BREAK b"));
        Assert.Equal([("", 1.0)], Parse(""));
    }

    [Fact]
    public void AWeightThatIsNotANumberIsRefusedNamingIt()
    {
        var error = Assert.Throws<FormatException>(() => PromptAttention.Parse("a (cat:1.2.3)"));
        Assert.Contains(":1.2.3)", error.Message);
    }
}
