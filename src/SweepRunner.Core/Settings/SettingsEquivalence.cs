using static SweepRunner.Core.Settings.SettingsCatalog;

namespace SweepRunner.Core.Settings;

/// <summary>
/// Reduces effective settings to what can affect training, so that jobs which would train the same
/// thing compare equal. Each rule names the sd-scripts behaviour it mirrors.
/// </summary>
public static class SettingsEquivalence
{
    /// <summary>The settings that are inert in this job's context, with the reason.</summary>
    static readonly string[] NoTrainingEffect = All.Where(d => !d.AffectsTraining).Select(d => d.Key).ToArray();

    public static IReadOnlyDictionary<string, string> InertSettings(IReadOnlyDictionary<string, object?> s)
    {
        var inert = new Dictionary<string, string>(16, StringComparer.Ordinal);
        foreach (var key in NoTrainingEffect) inert[key] = "does not affect training";

        if (UsesAdafactorRelativeStep(s))
        {
            const string why = "Adafactor with relative_step computes its own step size";
            foreach (var key in new[] { LearningRate, UnetLr, TextEncoderLr, LrScheduler, LrWarmupSteps, LrCycles, LrPower })
                inert[key] = why;
        }
        else
        {
            var scheduler = s.GetValueOrDefault(LrScheduler) as string;
            if (scheduler == "constant") inert[LrWarmupSteps] = "the constant schedule has no warmup";
            if (scheduler != "cosine_with_restarts") inert[LrCycles] = "only cosine_with_restarts uses cycles";
            if (scheduler != "polynomial") inert[LrPower] = "only the polynomial schedule uses a power";
            var unetOnly = s.GetValueOrDefault(UnetOnly) is true;
            if (unetOnly) inert[TextEncoderLr] = "the text encoder is not trained";
            if (s.GetValueOrDefault(UnetLr) != null && (unetOnly || s.GetValueOrDefault(TextEncoderLr) != null))
                inert[LearningRate] = "unet_lr and text_encoder_lr override it";
        }
        if (s.GetValueOrDefault(ConvDim) == null) inert[ConvAlpha] = "no conv LoRA (conv_dim unset)";
        if (s.GetValueOrDefault(ShuffleCaption) is not true) inert[KeepTokens] = "captions are not shuffled";
        if (s.GetValueOrDefault(EnableBucket) is not true)
            foreach (var key in new[] { MinBucketReso, MaxBucketReso, BucketResoSteps })
                inert[key] = "bucketing is off";
        if (s.GetValueOrDefault(SampleEveryNEpochs) == null && s.GetValueOrDefault(SampleAtFirst) is not true)
        {
            inert[SamplePrompts] = "no previews are rendered";
            inert[SampleSampler] = "no previews are rendered";
        }
        if (!Datasets.ValidationSet.IsOn(s))
            foreach (var key in new[] { ValidationSplit, ValidationDataDir, ValidateEveryNEpochs, ValidationSeed })
                inert[key] = "no validation set (validation_split and validation_data_dir unset)";
        else if (s.GetValueOrDefault(ValidationDataDir) is not null)
            inert[ValidationSplit] = "validation_data_dir gives the validation set";
        return inert;
    }

    /// <summary>sd-scripts turns relative_step on for Adafactor unless optimizer_args turns it off (warmup_init forces it on).</summary>
    public static bool UsesAdafactorRelativeStep(IReadOnlyDictionary<string, object?> s)
    {
        if (OptimizerRegistry.Find(s.GetValueOrDefault(Optimizer) as string) != OptimizerRegistry.Adafactor) return false;
        var args = OptimizerArguments.Parse(s.GetValueOrDefault(OptimizerArgs) as string);
        if (args.TryGetValue("warmup_init", out var warmup) && IsTrue(warmup)) return true;
        return !args.TryGetValue("relative_step", out var relative) || IsTrue(relative);
    }

    /// <summary>Canonical values: equal training gives equal views (aliases, "0 means default" values, learning rates resolved per network).</summary>
    public static Dictionary<string, object?> IdentityView(IReadOnlyDictionary<string, object?> s)
    {
        var inert = InertSettings(s);
        var view = new Dictionary<string, object?>(s.Count, StringComparer.Ordinal);
        foreach (var (key, value) in s)
            if (!inert.ContainsKey(key)) view[key] = value;

        if (OptimizerRegistry.Find(view.GetValueOrDefault(Optimizer) as string) is { } optimizer) view[Optimizer] = optimizer.Name;
        if (view.GetValueOrDefault(NetworkAlpha) is double alpha && alpha == 0)
            view[NetworkAlpha] = Convert.ToDouble(view[NetworkDim]);
        if (view.TryGetValue(ConvAlpha, out var convAlpha) && convAlpha is null) view[ConvAlpha] = 1.0;
        if (view.GetValueOrDefault(MinSnrGamma) is double gamma && gamma == 0) view[MinSnrGamma] = null;
        if (view.GetValueOrDefault(NetworkDropout) is double dropout && dropout == 0) view[NetworkDropout] = null;
        if (view.TryGetValue(OptimizerArgs, out var args))
            view[OptimizerArgs] = OptimizerArguments.Canonical(args as string);

        if (!inert.ContainsKey(UnetLr))
        {
            var lr = s.GetValueOrDefault(LearningRate);
            view[UnetLr] = s.GetValueOrDefault(UnetLr) ?? lr;
            view[TextEncoderLr] = s.GetValueOrDefault(UnetOnly) is true ? null : s.GetValueOrDefault(TextEncoderLr) ?? lr;
            view.Remove(LearningRate);
        }
        return view;
    }

    static bool IsTrue(string value) => value.Equals("true", StringComparison.OrdinalIgnoreCase) || value == "1";
}
