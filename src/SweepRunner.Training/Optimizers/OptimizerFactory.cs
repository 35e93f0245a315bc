namespace SweepRunner.Training.Optimizers;

/// <summary>
/// Builds an optimizer from sd-scripts' optimizer_type (matched ignoring case) and optimizer_args.
/// DAdaptation and DAdaptAdam are both D-Adaptation Adam.
/// </summary>
public static class OptimizerFactory
{
    public const string AdamW = "AdamW";
    public const string AdamW8bit = "AdamW8bit";
    public const string Lion = "Lion";
    public const string Lion8bit = "Lion8bit";
    public const string SgdNesterov = "SGDNesterov";
    public const string DAdaptation = "DAdaptation";
    public const string DAdaptAdam = "DAdaptAdam";
    public const string Prodigy = "Prodigy";
    public const string Adafactor = "Adafactor";

    /// <summary>The optimizer_type names this factory accepts, in sd-scripts' spelling.</summary>
    public static IReadOnlyList<string> Names { get; } = [AdamW, AdamW8bit, Lion, Lion8bit, SgdNesterov, DAdaptation, DAdaptAdam, Prodigy, Adafactor];

    /// <summary>The accepted name in sd-scripts' spelling, or null when <paramref name="optimizerType"/> is not one.</summary>
    public static string? CanonicalName(string? optimizerType) =>
        Names.FirstOrDefault(name => string.Equals(name, optimizerType?.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <exception cref="ArgumentException">An unknown optimizer type.</exception>
    /// <exception cref="OptimizerArgumentException">An unknown optimizer_args key or a bad value.</exception>
    public static ILoraOptimizer Create(string optimizerType, IReadOnlyList<ParameterGroup> groups, string? optimizerArgs)
    {
        var name = CanonicalName(optimizerType)
            ?? throw new ArgumentException($"unknown optimizer_type '{optimizerType}' (supported: {string.Join(", ", Names)})", nameof(optimizerType));
        var args = OptimizerArguments.Parse(name, optimizerArgs);
        return name switch
        {
            AdamW => new AdamWOptimizer(groups, AdamWOptimizer.Options.Parse(args)),
            AdamW8bit => new AdamW8bitOptimizer(groups, AdamW8bitOptimizer.Options.Parse(args)),
            Lion => new LionOptimizer(groups, LionOptimizer.Options.Parse(args)),
            Lion8bit => new Lion8bitOptimizer(groups, Lion8bitOptimizer.Options.Parse(args)),
            SgdNesterov => new SgdNesterovOptimizer(groups, SgdNesterovOptimizer.Options.Parse(args)),
            DAdaptation or DAdaptAdam => new DAdaptAdamOptimizer(name, groups, DAdaptAdamOptimizer.Options.Parse(args)),
            Prodigy => new ProdigyOptimizer(groups, ProdigyOptimizer.Options.Parse(args)),
            _ => new AdafactorOptimizer(groups, AdafactorOptimizer.Options.Parse(args)),
        };
    }
}
