namespace SweepRunner.Training.Optimizers;

/// <summary>An optimizer_args entry that is unknown to the optimizer or has a value it cannot use.</summary>
public sealed class OptimizerArgumentException : ArgumentException
{
    public OptimizerArgumentException(string optimizer, string? key, string message)
        : base($"optimizer_args for {optimizer}: {message}")
    {
        Optimizer = optimizer;
        Key = key;
    }

    /// <summary>The sd-scripts optimizer name the arguments were given for.</summary>
    public string Optimizer { get; }

    /// <summary>The offending key, or null when the text could not be split into key=value pairs.</summary>
    public string? Key { get; }
}
