using SweepRunner.Core.Planning;
using SweepRunner.Core.Settings;

namespace SweepRunner.Core.Tests.Settings;

public class SettingsEquivalenceTests
{
    static Dictionary<string, object?> Defaults(params (string Key, object? Value)[] overrides)
    {
        var s = SettingsCatalog.All.ToDictionary(d => d.Key, d => d.Default);
        foreach (var (k, v) in overrides) s[k] = v;
        return s;
    }

    static bool Same(Dictionary<string, object?> a, Dictionary<string, object?> b) =>
        JobIdentity.CanonicalText(SettingsEquivalence.IdentityView(a), "d", "m") == JobIdentity.CanonicalText(SettingsEquivalence.IdentityView(b), "d", "m");

    [Fact]
    public void LearningRateIsInertUnderAdafactorRelativeStepOnly()
    {
        Assert.True(Same(Defaults(("optimizer_type", "Adafactor"), ("learning_rate", 1e-4)), Defaults(("optimizer_type", "Adafactor"), ("learning_rate", 0.1))));
        Assert.False(Same(Defaults(("optimizer_type", "Adafactor"), ("learning_rate", 1e-4), ("optimizer_args", "relative_step=False")),
                          Defaults(("optimizer_type", "Adafactor"), ("learning_rate", 0.1), ("optimizer_args", "relative_step=False"))));
        Assert.True(Same(Defaults(("optimizer_type", "Adafactor"), ("learning_rate", 1e-4), ("optimizer_args", "relative_step=False warmup_init=True")),
                         Defaults(("optimizer_type", "Adafactor"), ("learning_rate", 0.1), ("optimizer_args", "warmup_init=True relative_step=False"))));
        Assert.False(Same(Defaults(("optimizer_type", "AdamW"), ("learning_rate", 1e-4)), Defaults(("optimizer_type", "AdamW"), ("learning_rate", 0.1))));
    }

    [Fact]
    public void WarmupIsInertUnderTheConstantSchedule()
    {
        Assert.True(Same(Defaults(("lr_warmup_steps", 0L)), Defaults(("lr_warmup_steps", 100L))));
        Assert.False(Same(Defaults(("lr_scheduler", "cosine"), ("lr_warmup_steps", 0L)), Defaults(("lr_scheduler", "cosine"), ("lr_warmup_steps", 100L))));
    }

    [Fact]
    public void LearningRatesResolvePerNetwork()
    {
        Assert.True(Same(Defaults(("learning_rate", 1e-4)), Defaults(("unet_lr", 1e-4), ("text_encoder_lr", 1e-4), ("learning_rate", 5.0))));
        Assert.True(Same(Defaults(("network_train_unet_only", true), ("text_encoder_lr", 1e-5)), Defaults(("network_train_unet_only", true), ("text_encoder_lr", 3e-5))));
        Assert.False(Same(Defaults(("text_encoder_lr", 1e-5)), Defaults(("text_encoder_lr", 3e-5))));
    }

    [Fact]
    public void AliasesAndZeroDefaultsCompareEqual()
    {
        Assert.True(Same(Defaults(("network_alpha", 0.0), ("network_dim", 32L)), Defaults(("network_alpha", 32.0), ("network_dim", 32L))));
        Assert.True(Same(Defaults(("optimizer_type", "DAdaptation")), Defaults(("optimizer_type", "DAdaptAdam"))));
        Assert.True(Same(Defaults(("min_snr_gamma", 0.0)), Defaults(("min_snr_gamma", null))));
        Assert.True(Same(Defaults(("conv_alpha", 4.0)), Defaults(("conv_alpha", 8.0))));
        Assert.False(Same(Defaults(("conv_dim", 4L), ("conv_alpha", 4.0)), Defaults(("conv_dim", 4L), ("conv_alpha", 8.0))));
        Assert.True(Same(Defaults(("output_name", "a")), Defaults(("output_name", "b"))));
        Assert.False(Same(Defaults(("network_alpha", 1.0)), Defaults(("network_alpha", 64.0))));
    }
}
