using SweepRunner.Core.Settings;

namespace SweepRunner.Training.Trainer;

/// <summary>
/// ss_optimizer as sd-scripts writes it: the optimizer class's module and name (<see cref="OptimizerEntry.MetadataClass"/>
/// of the registry entry), then "(k=v,k=v)" of optimizer_args in the order written.
/// </summary>
public static class OptimizerNames
{
    public static string MetadataName(string optimizerType, string? optimizerArgs)
    {
        var name = OptimizerRegistry.Find(optimizerType)?.MetadataClass ?? optimizerType;
        var args = OptimizerArguments.Parse(optimizerArgs);
        return args.Count == 0 ? name : $"{name}({string.Join(",", args.Pairs.Select(p => $"{p.Key}={p.Value}"))})";
    }
}
