namespace SweepRunner.Core.Settings;

/// <summary>How an optimizer_args value is written (as a Python literal, the way sd-scripts reads it).</summary>
public enum OptimizerArgumentKind
{
    /// <summary>A number; inf, float('inf') and math.inf are +∞.</summary>
    Number,

    /// <summary>A number or None.</summary>
    NumberOrNone,

    /// <summary>A whole number.</summary>
    WholeNumber,

    /// <summary>True or False (any case).</summary>
    Boolean,

    /// <summary>Two numbers: 0.9,0.99, (0.9,0.99) or [0.9,0.99].</summary>
    NumberPair,
}

/// <summary>The values an optimizer_args number may take, with the wording used in error messages ("must be …").</summary>
public sealed record OptimizerValueRange(string Requirement, Func<double, bool> Contains)
{
    public static readonly OptimizerValueRange Beta = new("in [0, 1)", value => value >= 0 && value < 1);
    public static readonly OptimizerValueRange NonNegative = new("0 or more", value => value >= 0);
    public static readonly OptimizerValueRange Positive = new("more than 0", value => value > 0);
    public static readonly OptimizerValueRange Negative = new("negative", value => value < 0);
    public static readonly OptimizerValueRange AtLeastOne = new("1 or more", value => value >= 1);
}

/// <summary>One optimizer_args key an optimizer accepts: its kind and, for numbers, the range (null = any).</summary>
public sealed record OptimizerArgument(string Key, OptimizerArgumentKind Kind, OptimizerValueRange? Range = null);

/// <summary>
/// One optimizer: its sd-scripts optimizer_type name, other names that select it, the class sd-scripts writes
/// as ss_optimizer, and the optimizer_args keys it accepts (in the order error messages list them).
/// </summary>
public sealed record OptimizerEntry(string Name, IReadOnlyList<string> Aliases, string MetadataClass, IReadOnlyList<OptimizerArgument> Arguments)
{
    /// <summary>The name and the aliases, each in sd-scripts' spelling.</summary>
    public IReadOnlyList<string> Spellings => [Name, .. Aliases];

    public OptimizerArgument? Argument(string key) => Arguments.FirstOrDefault(a => a.Key == key);

    public override string ToString() => Name;
}

/// <summary>
/// Every optimizer a sweep may name. Core holds the data (names, aliases, metadata names, argument grammar) so that
/// planning validates optimizer_type and optimizer_args exactly as training will; Training registers one factory
/// per entry. Names match ignoring case, as in sd-scripts.
/// </summary>
public static class OptimizerRegistry
{
    static readonly OptimizerArgument Betas = new("betas", OptimizerArgumentKind.NumberPair, OptimizerValueRange.Beta);
    static readonly OptimizerArgument WeightDecay = new("weight_decay", OptimizerArgumentKind.Number, OptimizerValueRange.NonNegative);
    static readonly OptimizerArgument Min8BitSize = new("min_8bit_size", OptimizerArgumentKind.WholeNumber, OptimizerValueRange.NonNegative);
    static readonly OptimizerArgument Decouple = new("decouple", OptimizerArgumentKind.Boolean);
    static readonly OptimizerArgument UseBiasCorrection = new("use_bias_correction", OptimizerArgumentKind.Boolean);
    static readonly OptimizerArgument D0 = new("d0", OptimizerArgumentKind.Number, OptimizerValueRange.Positive);
    static readonly OptimizerArgument GrowthRate = new("growth_rate", OptimizerArgumentKind.Number, OptimizerValueRange.Positive);

    static OptimizerArgument Eps(OptimizerValueRange range) => new("eps", OptimizerArgumentKind.Number, range);

    public static readonly OptimizerEntry AdamW = new("AdamW", [], "torch.optim.adamw.AdamW",
        [Betas, Eps(OptimizerValueRange.NonNegative), WeightDecay]);

    public static readonly OptimizerEntry AdamW8bit = new("AdamW8bit", [], "bitsandbytes.optim.adamw.AdamW8bit",
        [Betas, Eps(OptimizerValueRange.NonNegative), WeightDecay, Min8BitSize]);

    public static readonly OptimizerEntry Lion = new("Lion", [], "lion_pytorch.lion_pytorch.Lion", [Betas, WeightDecay]);

    public static readonly OptimizerEntry Lion8bit = new("Lion8bit", [], "bitsandbytes.optim.lion.Lion8bit", [Betas, WeightDecay, Min8BitSize]);

    public static readonly OptimizerEntry SgdNesterov = new("SGDNesterov", [], "torch.optim.sgd.SGD",
    [
        new("momentum", OptimizerArgumentKind.Number, new OptimizerValueRange("more than 0 (Nesterov momentum needs momentum)", value => value > 0)),
        WeightDecay,
    ]);

    /// <summary>D-Adaptation Adam; sd-scripts' older name DAdaptation selects it too.</summary>
    public static readonly OptimizerEntry DAdaptAdam = new("DAdaptAdam", ["DAdaptation"], "dadaptation.dadapt_adam.DAdaptAdam",
    [
        Betas, Eps(OptimizerValueRange.Positive), WeightDecay, Decouple, UseBiasCorrection, D0, GrowthRate,
        new("log_every", OptimizerArgumentKind.WholeNumber, OptimizerValueRange.NonNegative),
    ]);

    public static readonly OptimizerEntry Prodigy = new("Prodigy", [], "prodigyopt.prodigy.Prodigy",
    [
        Betas,
        new("beta3", OptimizerArgumentKind.NumberOrNone, OptimizerValueRange.Beta),
        Eps(OptimizerValueRange.Positive), WeightDecay, Decouple, UseBiasCorrection,
        new("safeguard_warmup", OptimizerArgumentKind.Boolean),
        D0,
        new("d_coef", OptimizerArgumentKind.Number, OptimizerValueRange.Positive),
        GrowthRate,
        new("slice_p", OptimizerArgumentKind.WholeNumber, OptimizerValueRange.AtLeastOne),
    ]);

    public static readonly OptimizerEntry Adafactor = new("Adafactor", [], "transformers.optimization.Adafactor",
    [
        new("eps", OptimizerArgumentKind.NumberPair, OptimizerValueRange.NonNegative),
        new("clip_threshold", OptimizerArgumentKind.Number, OptimizerValueRange.Positive),
        new("decay_rate", OptimizerArgumentKind.Number, OptimizerValueRange.Negative),
        new("beta1", OptimizerArgumentKind.NumberOrNone, OptimizerValueRange.Beta),
        WeightDecay,
        new("scale_parameter", OptimizerArgumentKind.Boolean),
        new("relative_step", OptimizerArgumentKind.Boolean),
        new("warmup_init", OptimizerArgumentKind.Boolean),
    ]);

    public static readonly IReadOnlyList<OptimizerEntry> All = [AdamW, AdamW8bit, Lion, Lion8bit, SgdNesterov, DAdaptAdam, Prodigy, Adafactor];

    /// <summary>Every accepted optimizer_type spelling (names and aliases): the choices of the setting.</summary>
    public static readonly IReadOnlyList<string> Spellings = [.. All.SelectMany(e => e.Spellings)];

    /// <summary>The entry <paramref name="optimizerType"/> names (ignoring case and surrounding spaces), or null.</summary>
    public static OptimizerEntry? Find(string? optimizerType) =>
        Spelling(optimizerType) is { } spelling ? All.First(e => e.Spellings.Contains(spelling)) : null;

    /// <summary>The name or alias <paramref name="optimizerType"/> matches, in sd-scripts' spelling, or null.</summary>
    public static string? Spelling(string? optimizerType) =>
        Spellings.FirstOrDefault(s => string.Equals(s, optimizerType?.Trim(), StringComparison.OrdinalIgnoreCase));
}
