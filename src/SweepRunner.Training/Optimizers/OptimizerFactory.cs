using SweepRunner.Core.Settings;

namespace SweepRunner.Training.Optimizers;

/// <summary>Builds an optimizer from its name (as given, an alias staying an alias), parameter groups and checked optimizer_args.</summary>
public delegate ILoraOptimizer OptimizerBuilder(string name, IReadOnlyList<ParameterGroup> groups, OptimizerArgumentValues args);

/// <summary>The factory of one entry of Core's <see cref="OptimizerRegistry"/>.</summary>
public sealed record OptimizerRegistration(OptimizerEntry Entry, OptimizerBuilder Build);

/// <summary>
/// Builds an optimizer from sd-scripts' optimizer_type (a name or alias of <see cref="OptimizerRegistry"/>, matched
/// ignoring case) and optimizer_args, which Core's parser checks against the entry's argument grammar exactly as
/// planning does. DAdaptation and DAdaptAdam are both D-Adaptation Adam.
/// </summary>
public static class OptimizerFactory
{
    /// <summary>One factory per registry entry.</summary>
    public static IReadOnlyList<OptimizerRegistration> Registrations { get; } =
    [
        new(OptimizerRegistry.AdamW, (_, groups, args) => new AdamWOptimizer(groups, AdamWOptimizer.Options.Parse(args))),
        new(OptimizerRegistry.AdamW8bit, (_, groups, args) => new AdamW8bitOptimizer(groups, AdamW8bitOptimizer.Options.Parse(args))),
        new(OptimizerRegistry.Lion, (_, groups, args) => new LionOptimizer(groups, LionOptimizer.Options.Parse(args))),
        new(OptimizerRegistry.Lion8bit, (_, groups, args) => new Lion8bitOptimizer(groups, Lion8bitOptimizer.Options.Parse(args))),
        new(OptimizerRegistry.SgdNesterov, (_, groups, args) => new SgdNesterovOptimizer(groups, SgdNesterovOptimizer.Options.Parse(args))),
        new(OptimizerRegistry.DAdaptAdam, (name, groups, args) => new DAdaptAdamOptimizer(name, groups, DAdaptAdamOptimizer.Options.Parse(args))),
        new(OptimizerRegistry.Prodigy, (_, groups, args) => new ProdigyOptimizer(groups, ProdigyOptimizer.Options.Parse(args))),
        new(OptimizerRegistry.Adafactor, (_, groups, args) => new AdafactorOptimizer(groups, AdafactorOptimizer.Options.Parse(args))),
    ];

    /// <exception cref="ArgumentException">An unknown optimizer type.</exception>
    /// <exception cref="OptimizerArgumentException">optimizer_args that are not key=value pairs, an unknown key or a bad value.</exception>
    public static ILoraOptimizer Create(string optimizerType, IReadOnlyList<ParameterGroup> groups, string? optimizerArgs)
    {
        var args = OptimizerArguments.Validate(optimizerType, optimizerArgs);
        var registration = Registrations.FirstOrDefault(r => ReferenceEquals(r.Entry, args.Entry))
            ?? throw new InvalidOperationException($"no optimizer factory is registered for {args.Entry.Name}");
        return registration.Build(args.Optimizer, groups, args);
    }
}
