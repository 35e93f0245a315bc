using System.Diagnostics;
using System.Text;
using SweepRunner.Core.Planning;
using SweepRunner.Core.Sweeps;
using SweepRunner.Core.Tests.Support;

namespace SweepRunner.Core.Tests.Sweeps;

/// <summary>Files that crashed the parser or made it take minutes: each is now a located error, quickly.</summary>
public class MalformedSweepFileTests : IDisposable
{
    readonly TempSweep _temp = new TempSweep().AddFolder("5_cat", 3);

    public void Dispose() => _temp.Dispose();

    SweepError OnlyError(string yaml, out TimeSpan took)
    {
        var path = _temp.Write("bad.yaml", yaml);
        var clock = Stopwatch.StartNew();
        var errors = Assert.Throws<SweepValidationException>(() => SweepFileParser.Load(path)).Errors;
        took = clock.Elapsed;
        var error = Assert.Single(errors);
        Assert.Equal(path, error.Where.File);
        return error;
    }

    [Theory]
    [InlineData("\t: t")]
    [InlineData(":\n{\n0")]
    [InlineData("...\nn")]
    [InlineData("name: [x\nbase: {")]
    public void InputsThatYamlDotNetFailsOnWithoutAYamlExceptionAreLocatedErrors(string yaml)
    {
        var error = OnlyError(yaml, out _);

        Assert.True(error.Where.Line >= 1, $"no line in {error}");
        Assert.Contains("YAML", error.Problem);
    }

    [Theory]
    [InlineData("name: a\ndataset: \"da\\0ta\"\nlist:\n  - { label: x }\n", 2, "the dataset path must not contain control characters (found U+0000)")]
    [InlineData("name: a\ndataset: data\nbase: { pretrained_model_name_or_path: \"m\\0\" }\nlist:\n  - { label: x }\n", 3, "must not contain control characters (found U+0000)")]
    [InlineData("name: a\ndataset: data\nbase: { from: \"k\\0.json\" }\nlist:\n  - { label: x }\n", 3, "the path in 'from' must not contain control characters (found U+0000)")]
    [InlineData("name: a\ndataset: data\nlist:\n  - { label: x, sample_prompts: \"p\\u001b.txt\" }\n", 4, "must not contain control characters (found U+001B)")]
    public void A_control_character_in_a_path_is_a_located_error_not_a_crash(string yaml, int line, string problem)
    {
        // Found while writing the fuzz test: Path.GetFullPath throws ArgumentException on a NUL, and plan crashed.
        var error = OnlyError(yaml, out _);

        Assert.Equal(line, error.Where.Line);
        Assert.Contains(problem, error.Problem);
    }

    [Theory]
    [InlineData("pretrained_model_name_or_path", "demo")]
    [InlineData("train_batch_size", "1")]
    [InlineData("optimizer_type", "AdamW")]
    public void A_setting_that_needs_a_value_given_as_null_is_a_located_error_not_a_crash(string key, string defaultValue)
    {
        // Found by the parser fuzz test: plan crashed with ArgumentNullException, DivideByZeroException or ArgumentException.
        var error = OnlyError($"name: a\ndataset: data\nbase: {{ {key}: null }}\nlist:\n  - {{ label: x }}\n", out _);

        Assert.Equal(3, error.Where.Line);
        Assert.Equal($"'{key}': cannot be unset (null); leave the key out for the default, {defaultValue}", error.Problem);
    }

    static string AliasBomb(int levels, bool asKey)
    {
        var text = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for (var i = 1; i <= levels; i++)
            text.Append($"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 9))}]\n");
        text.Append(asKey ? $"? *a{levels}\n: 1\n" : $"name: *a{levels}\n");
        return text.ToString();
    }

    [Theory]
    [InlineData(7, true)]
    [InlineData(8, true)]
    [InlineData(8, false)]
    public void AnAliasBombFailsInWellUnderASecondWithAShortMessage(int levels, bool asKey)
    {
        var error = OnlyError(AliasBomb(levels, asKey), out var took);

        Assert.True(took < TimeSpan.FromSeconds(1), $"took {took.TotalSeconds:0.00} s");
        Assert.Contains("100,000", error.Problem);
        Assert.True(error.ToString().Length < 400, error.ToString());
    }

    [Fact]
    public void AnAliasAsAMappingKeyIsRefused()
    {
        var error = OnlyError("a: &k x\n? *k\n: 1\n", out _);

        Assert.Equal(2, error.Where.Line);
        Assert.Contains("alias", error.Problem);
    }

    [Fact]
    public void AHugeKeyIsQuotedShortInTheMessage()
    {
        var key = new string('k', 1000);
        var path = _temp.Write("bad.yaml", $"name: x\ndataset: data\n{key}: 1\nlist:\n  - {{ label: a }}\n");

        var errors = Assert.Throws<SweepValidationException>(() => SweepFileParser.Load(path)).Errors;

        var error = Assert.Single(errors, e => e.Problem.Contains("unknown top-level key"));
        Assert.True(error.ToString().Length < 600, $"{error.ToString().Length} characters");
    }

    [Fact]
    public void ARandomBlockOverTheCapIsRefusedUpFrontWithItsJobCount()
    {
        var error = OnlyError("name: x\ndataset: data\nrandom:\n  n: 1000000\n  seed: 1\n  axes:\n    learning_rate: { log_uniform: [1e-5, 1e-3] }\n", out var took);

        Assert.Contains("1,000,000 jobs", error.Problem);
        Assert.Contains("100,000", error.Problem);
        Assert.InRange(error.Where.Line, 3, 4);
        Assert.True(took < TimeSpan.FromSeconds(1), $"took {took.TotalSeconds:0.00} s");
    }

    [Fact]
    public void AGridOverTheCapIsRefusedButOneAtTheCapPlans()
    {
        static string Grid(int a, int b, int c) =>
            "name: x\ndataset: data\ngrid:\n"
            + $"  learning_rate: [{string.Join(", ", Enumerable.Range(1, a).Select(i => $"{i}e-5"))}]\n"
            + $"  network_dim: [{string.Join(", ", Enumerable.Range(1, b))}]\n"
            + $"  seed: [{string.Join(", ", Enumerable.Range(1, c))}]\n";

        var error = OnlyError(Grid(50, 50, 41), out _);
        Assert.Contains("102,500 jobs", error.Problem);

        var atCap = SweepFileParser.Load(_temp.Write("cap.yaml", Grid(50, 50, 40)));
        Assert.Equal(100_000, new Planner().Plan(atCap).Jobs.Count);
    }
}
