using SweepRunner.Core.Settings;
using SweepRunner.Core.Sweeps;
using SweepRunner.Core.Tests.Support;

namespace SweepRunner.Core.Tests.Settings;

/// <summary>optimizer_args have one parser: what training would refuse, planning refuses, at the place it is written.</summary>
public class OptimizerArgumentsTests : IDisposable
{
    readonly TempSweep _temp = new TempSweep().AddFolder("5_cat", 3);

    public void Dispose() => _temp.Dispose();

    static string Sweep(string optimizer, string args) =>
        $"name: x\ndataset: data\nbase:\n  optimizer_type: {optimizer}\n  optimizer_args: \"{args}\"\nlist:\n  - {{ label: a }}\n";

    SweepError PlanError(string yaml)
    {
        var path = _temp.Write("bad.yaml", yaml);
        return Assert.Single(Assert.Throws<SweepValidationException>(() => Plans.Of(path)).Errors);
    }

    [Theory]
    [InlineData("weight_decay=", "'weight_decay' has no value")]
    [InlineData("weight_decay=0.1 weight_decay=0.2", "'weight_decay' is given more than once")]
    [InlineData("weight_decay=0.1 1", "'1' is not of the form key=value")]
    [InlineData("=0.1", "'=0.1' is not of the form key=value")]
    [InlineData("betas=0.9=0.99", "'betas=0.9=0.99' is not of the form key=value")]
    public void TheSweepParserRefusesTextThatIsNotKeyValuePairs(string args, string message)
    {
        var path = _temp.Write("bad.yaml", Sweep("AdamW", args));
        var error = Assert.Single(Assert.Throws<SweepValidationException>(() => SweepFileParser.Load(path)).Errors);
        Assert.Equal((5, 19), (error.Where.Line, error.Where.Column));
        Assert.EndsWith("bad.yaml", error.Where.File);
        Assert.Contains(message, error.Problem);
        Assert.StartsWith("optimizer_args: ", error.Problem);
        Assert.Contains("key=value", error.Fix);
        Assert.Matches(@"bad\.yaml:5:19: optimizer_args: ", error.ToString());
    }

    [Theory]
    [InlineData("Lion", "betas=0.9,0.99 relative_step=False", "unknown key 'relative_step' (accepted: betas, weight_decay)", "relative_step")]
    [InlineData("AdamW", "foo=1 bar=2", "unknown keys 'bar', 'foo'", "bar")]
    [InlineData("Prodigy", "betas=0.9,1.5", "'betas' must be in [0, 1), got 1.5", "betas")]
    [InlineData("SGDNesterov", "momentum=0", "'momentum' must be more than 0", "momentum")]
    [InlineData("Adafactor", "decay_rate=0.8", "'decay_rate' must be negative, got 0.8", "decay_rate")]
    [InlineData("Prodigy", "slice_p=0", "'slice_p' must be 1 or more, got 0", "slice_p")]
    [InlineData("DAdaptation", "d0=-1", "'d0' must be more than 0", "d0")]
    [InlineData("AdamW8bit", "min_8bit_size=1.5", "'min_8bit_size' must be a whole number, got '1.5'", "min_8bit_size")]
    [InlineData("Adafactor", "relative_step=1", "'relative_step' must be True or False, got '1'", "relative_step")]
    [InlineData("AdamW", "eps=abc", "'eps' must be a number, got 'abc'", "eps")]
    public void PlanRefusesKeysAndValuesTheOptimizerWouldRefuse(string optimizer, string args, string message, string key)
    {
        var error = PlanError(Sweep(optimizer, args));
        Assert.Equal((5, 19), (error.Where.Line, error.Where.Column));
        Assert.StartsWith($"optimizer_args for {optimizer}: ", error.Problem);
        Assert.Contains(message, error.Problem);
        Assert.Contains($"'{key}'", error.Problem);
        Assert.Contains("job 'a'", error.Problem);
    }

    [Fact]
    public void AnUnknownKeyIsReportedOnceWhereWrittenWithTheOptimizersKeys()
    {
        var error = PlanError("""
            name: x
            dataset: data
            base: { optimizer_type: AdamW }
            grid:
              optimizer_type: [AdamW, Adafactor]
              optimizer_args: ["weight_decay=0.1", "relative_step=False"]
              network_dim: [4, 8]
            """);
        Assert.Equal((6, 40), (error.Where.Line, error.Where.Column));
        Assert.Contains("optimizer_args for AdamW: unknown key 'relative_step' (accepted: betas, eps, weight_decay)", error.Problem);
        Assert.Contains("AdamW accepts betas, eps, weight_decay", error.Fix);
        Assert.Contains("paired", error.Fix);
    }

    [Fact]
    public void ArgumentsPairedWithTheirOptimizerOrExcludedByAConstraintPlan()
    {
        var paired = Plans.Of(_temp.Write("paired.yaml", """
            name: x
            dataset: data
            grid:
              paired:
                - { optimizer_type: [AdamW, Adafactor], optimizer_args: ["weight_decay=0.1", "relative_step=False"] }
            """));
        Assert.Equal(2, paired.Jobs.Count);

        var excluded = Plans.Of(_temp.Write("excluded.yaml", """
            name: x
            dataset: data
            grid:
              optimizer_type: [AdamW, Adafactor]
              optimizer_args: ["", "relative_step=False"]
            constraints:
              - exclude: { optimizer_type: AdamW, optimizer_args: "relative_step=False" }
            """));
        Assert.Equal(3, excluded.Jobs.Count);
    }

    [Fact]
    public void ArgumentsImportedFromAKohyaConfigAreCheckedToo()
    {
        File.WriteAllText(_temp.Path("kohya.json"), """{ "optimizer": "Lion", "optimizer_args": "weight_decay=0.1 weight_decay=0.2" }""");
        var path = _temp.Write("bad.yaml", "name: x\ndataset: data\nbase:\n  from: kohya.json\nlist:\n  - { label: a }\n");
        var error = Assert.Single(Assert.Throws<SweepValidationException>(() => SweepFileParser.Load(path)).Errors);
        Assert.Equal(4, error.Where.Line);
        Assert.Contains("'weight_decay' is given more than once", error.Problem);
    }

    [Fact]
    public void AMistypedOptimizerTypeGetsTheClosestRegistryName()
    {
        var path = _temp.Write("bad.yaml", "name: x\ndataset: data\nbase: { optimizer_type: Prodigi }\nlist:\n  - { label: a }\n");
        var error = Assert.Single(Assert.Throws<SweepValidationException>(() => SweepFileParser.Load(path)).Errors);
        Assert.Contains("expected one of " + string.Join(", ", OptimizerRegistry.Spellings), error.Problem);
        Assert.Equal("Did you mean 'Prodigy'?", error.Fix);
    }

    [Fact]
    public void ValuesThatTrainParseToTheSameValues()
    {
        var prodigy = OptimizerArguments.Validate("prodigy",
            "weight_decay=0.01 betas=0.9,0.99 decouple=True safeguard_warmup=false beta3=None slice_p=11 growth_rate=inf d_coef=2 eps=1E-6");
        Assert.Equal("Prodigy", prodigy.Optimizer);
        Assert.Equal(0.01, prodigy.Double("weight_decay", 0));
        Assert.Equal((0.9, 0.99), prodigy.Pair("betas", (0, 0)));
        Assert.True(prodigy.Bool("decouple", false));
        Assert.False(prodigy.Bool("safeguard_warmup", true));
        Assert.Null(prodigy.NullableDouble("beta3", 0.5));
        Assert.Equal(11, prodigy.Int("slice_p", 1));
        Assert.Equal(double.PositiveInfinity, prodigy.Double("growth_rate", 1));
        Assert.Equal(2.0, prodigy.Double("d_coef", 1));
        Assert.Equal(1e-6, prodigy.Double("eps", 1));
        Assert.Equal(7.0, prodigy.Double("d0", 7.0));

        var adafactor = OptimizerArguments.Validate("Adafactor", "eps=(1e-30,1e-3) beta1=0.9 relative_step=FALSE clip_threshold=float('inf')");
        Assert.Equal((1e-30, 1e-3), adafactor.Pair("eps", (0, 0)));
        Assert.Equal(0.9, adafactor.NullableDouble("beta1", null));
        Assert.False(adafactor.Bool("relative_step", true));
        Assert.Equal(double.PositiveInfinity, adafactor.Double("clip_threshold", 1));
        Assert.Equal((0.8, 0.9), OptimizerArguments.Validate("Lion", "betas=[0.8,0.9]").Pair("betas", (0, 0)));
        Assert.Equal("DAdaptation", OptimizerArguments.Validate("dadaptation", "log_every=10").Optimizer);
    }

    [Fact]
    public void ReadingAKeyTheGrammarLacksIsAProgrammingError()
    {
        var args = OptimizerArguments.Validate("Lion", null);
        Assert.Throws<InvalidOperationException>(() => args.Double("eps", 1e-8));
        Assert.Throws<InvalidOperationException>(() => args.Double("betas", 0.9));
        Assert.Equal(0.5, args.Double("weight_decay", 0.5));
        Assert.Equal(["weight_decay"], args.KeysRead);
    }

    [Theory]
    [InlineData(null, "")]
    [InlineData("  ", "")]
    [InlineData("relative_step=False weight_decay=0.01", "relative_step=False weight_decay=0.01")]
    [InlineData("weight_decay=0.01\trelative_step=False", "relative_step=False weight_decay=0.01")]
    [InlineData(" b=2  a=(1,2) ", "a=(1,2) b=2")]
    public void TheCanonicalFormSortsThePairsAsBefore(string? text, string canonical)
    {
        Assert.Equal(canonical, OptimizerArguments.Canonical(text));
        Assert.Equal([.. OptimizerArguments.Parse(text).Pairs.Select(p => p.Key)], (text ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(t => t[..t.IndexOf('=')]));
    }

    [Fact]
    public void AnUnknownOptimizerTypeListsTheRegistrysNames()
    {
        var error = Assert.Throws<ArgumentException>(() => OptimizerArguments.Validate("AdaGrad", null));
        Assert.Contains("'AdaGrad'", error.Message);
        Assert.Contains(string.Join(", ", OptimizerRegistry.Spellings), error.Message);
    }
}
