using SweepRunner.Core.Settings;
using SweepRunner.Training.Optimizers;
using TorchSharp;
using static SweepRunner.Training.Tests.Optimizers.OptimizerTestSupport;
using static TorchSharp.torch;

namespace SweepRunner.Training.Tests.Optimizers;

public class OptimizerArgumentsTests
{
    [Fact]
    public void OptimizersReadCoresParsedValues()
    {
        var options = ProdigyOptimizer.Options.Parse(OptimizerArguments.Validate("Prodigy",
            "weight_decay=0.01 betas=(0.8,0.99) decouple=False safeguard_warmup=true beta3=None slice_p=11 growth_rate=inf"));
        Assert.Equal(new ProdigyOptimizer.Options(Beta1: 0.8, Beta2: 0.99, Beta3: null, WeightDecay: 0.01, Decouple: false,
            SafeguardWarmup: true, GrowthRate: double.PositiveInfinity, SliceP: 11), options);
        Assert.Equal(new ProdigyOptimizer.Options(), ProdigyOptimizer.Options.Parse(OptimizerArguments.Validate("Prodigy", null)));
        Assert.Equal(new AdafactorOptimizer.Options(Eps1: 1e-29, Eps2: 2e-3, Beta1: 0.5, RelativeStep: false),
            AdafactorOptimizer.Options.Parse(OptimizerArguments.Validate("adafactor", "eps=1e-29,2e-3 beta1=0.5 relative_step=False")));
    }

    [Theory]
    [InlineData("AdamW", "weight_decay=0.01 foo=1", "unknown key 'foo'", "foo")]
    [InlineData("Lion", "betas=0.9", "'betas' must be two numbers", "betas")]
    [InlineData("AdamW8bit", "weight_decay=abc", "'weight_decay' must be a number, got 'abc'", "weight_decay")]
    [InlineData("Adafactor", "relative_step=maybe", "'relative_step' must be True or False", "relative_step")]
    [InlineData("SGDNesterov", "momentum=0", "'momentum' must be more than 0", "momentum")]
    [InlineData("Prodigy", "betas=0.9,1.5", "'betas' must be in [0, 1)", "betas")]
    [InlineData("DAdaptAdam", "d0=-1", "'d0' must be more than 0", "d0")]
    [InlineData("Prodigy", "slice_p=0.5", "'slice_p' must be a whole number", "slice_p")]
    [InlineData("AdamW", "weight_decay=0.1 weight_decay=0.2", "given more than once", "weight_decay")]
    [InlineData("Lion8bit", "amsgrad=True", "(accepted: betas, weight_decay, min_8bit_size)", "amsgrad")]
    [InlineData("AdamW", "weight_decay", "'weight_decay' is not of the form key=value", null)]
    public void BadArgumentsNameTheOptimizerAndTheKey(string type, string args, string message, string? key)
    {
        using var a = Param(Initial(4), 4);
        var error = Assert.Throws<OptimizerArgumentException>(() => OptimizerFactory.Create(type, [Group("unet", 1e-3, a)], args));
        Assert.StartsWith($"optimizer_args for {type}: ", error.Message);
        Assert.Contains(message, error.Message);
        Assert.Equal(key, error.Key);
        Assert.Equal(type, error.Optimizer);
    }

    [Fact]
    public void UnknownOptimizerTypesListTheSupportedOnes()
    {
        using var a = Param(Initial(4), 4);
        var error = Assert.Throws<ArgumentException>(() => OptimizerFactory.Create("AdaGrad", [Group("unet", 1e-3, a)], null));
        Assert.Contains("'AdaGrad'", error.Message);
        Assert.Contains("Prodigy", error.Message);
    }

    [Theory]
    [InlineData("adamw8bit", "AdamW8bit", typeof(AdamW8bitOptimizer))]
    [InlineData("LION", "Lion", typeof(LionOptimizer))]
    [InlineData("lion8bit", "Lion8bit", typeof(Lion8bitOptimizer))]
    [InlineData("sgdnesterov", "SGDNesterov", typeof(SgdNesterovOptimizer))]
    [InlineData("dadaptation", "DAdaptation", typeof(DAdaptAdamOptimizer))]
    [InlineData("DAdaptAdam", "DAdaptAdam", typeof(DAdaptAdamOptimizer))]
    [InlineData("prodigy", "Prodigy", typeof(ProdigyOptimizer))]
    [InlineData("adafactor", "Adafactor", typeof(AdafactorOptimizer))]
    [InlineData(" AdamW ", "AdamW", typeof(AdamWOptimizer))]
    public void NamesMatchIgnoringCase(string given, string name, Type implementation)
    {
        using var a = Param(Initial(4), 4);
        using var optimizer = OptimizerFactory.Create(given, [Group("unet", 1.0, a)], null);
        Assert.Equal(name, optimizer.Name);
        Assert.IsType(implementation, optimizer);
    }

    [Fact]
    public void AdafactorWarmupInitTurnsRelativeStepOnAsSdScriptsDoes()
    {
        var options = AdafactorOptimizer.Options.Parse(OptimizerArguments.Validate("Adafactor", "relative_step=False warmup_init=True"));
        Assert.True(options.RelativeStep);
        Assert.True(options.WarmupInit);
        Assert.True(AdafactorOptimizer.Options.Parse(OptimizerArguments.Validate("Adafactor", null)).RelativeStep);
    }

    [Fact]
    public void LearningRatesMustBeFiniteAndNotNegative()
    {
        using var a = Param(Initial(4), 4);
        using var optimizer = OptimizerFactory.Create("AdamW", [Group("unet", 1e-3, a)], null);
        Assert.Throws<ArgumentOutOfRangeException>(() => optimizer.SetLearningRate(0, double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => optimizer.SetLearningRate(0, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => optimizer.SetLearningRate(1, 1e-3));
    }

    [Fact]
    public void StateDictsWithUnknownEntriesOrWrongShapesAreRejected()
    {
        using var a = Param(Initial(6), 2, 3);
        using var optimizer = OptimizerFactory.Create("AdamW", [Group("unet", 1e-3, a)], null);
        optimizer.ZeroGrad();
        SetGrad(a, Gradient(0, 6));
        optimizer.Step();
        using var scope = NewDisposeScope();
        var state = optimizer.StateDict().ToDictionary();

        var wrongShape = new Dictionary<string, Tensor>(state) { ["0.0.exp_avg"] = zeros(3, 2) };
        Assert.Contains("'0.0.exp_avg'", Assert.Throws<ArgumentException>(() => optimizer.LoadStateDict(wrongShape)).Message);

        var unknown = new Dictionary<string, Tensor>(state) { ["0.1.exp_avg"] = zeros(2, 3) };
        Assert.Contains("unexpected optimizer state entry '0.1.exp_avg'", Assert.Throws<ArgumentException>(() => optimizer.LoadStateDict(unknown)).Message);

        var missing = new Dictionary<string, Tensor>(state);
        missing.Remove("0.effective_lr");
        Assert.Contains("lacks 0.effective_lr", Assert.Throws<ArgumentException>(() => optimizer.LoadStateDict(missing)).Message);

        var incomplete = new Dictionary<string, Tensor>(state);
        incomplete.Remove("0.0.exp_avg_sq");
        Assert.Contains("lacks 0.0.exp_avg_sq", Assert.Throws<ArgumentException>(() => optimizer.LoadStateDict(incomplete)).Message);

        // A failed load leaves the state as it was.
        var after = optimizer.StateDict();
        Assert.True(after["0.0.exp_avg"].equal(state["0.0.exp_avg"]).all().item<bool>());
    }

    [Fact]
    public void ZeroGradRemovesGradientsSoParametersWithoutOneAreSkipped()
    {
        using var a = Param(Initial(4), 4);
        using var optimizer = OptimizerFactory.Create("AdamW", [Group("unet", 1e-3, a)], null);
        SetGrad(a, Gradient(0, 4));
        optimizer.ZeroGrad();
        Assert.Null(a.grad);
        optimizer.Step();
        Assert.Equal(Initial(4), Values(a));
        using var scope = NewDisposeScope();
        Assert.DoesNotContain(optimizer.StateDict().Keys, key => key.StartsWith("0.0.", StringComparison.Ordinal));
    }
}
