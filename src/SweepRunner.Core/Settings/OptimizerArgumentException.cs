namespace SweepRunner.Core.Settings;

/// <summary>optimizer_args that cannot be split into key=value pairs, or an entry unknown to the optimizer or with a value it cannot use.</summary>
public sealed class OptimizerArgumentException : ArgumentException
{
    public OptimizerArgumentException(string? optimizer, string? key, string message)
        : base(optimizer is null ? $"optimizer_args: {message}" : $"optimizer_args for {optimizer}: {message}")
    {
        Optimizer = optimizer;
        Key = key;
        Detail = message;
    }

    /// <summary>The sd-scripts optimizer name the arguments were given for; null when only their form was checked.</summary>
    public string? Optimizer { get; }

    /// <summary>The offending key, or null when the text could not be split into key=value pairs.</summary>
    public string? Key { get; }

    /// <summary>The problem without the "optimizer_args for …:" prefix.</summary>
    public string Detail { get; }
}
