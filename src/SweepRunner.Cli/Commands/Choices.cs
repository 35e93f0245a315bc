namespace SweepRunner.Cli.Commands;

/// <summary>Where training runs: <c>auto</c> picks CUDA when this build and machine have it.</summary>
public enum TrainingDevice
{
    Auto,
    Cuda,
    Cpu,
}

public enum ExportFormat
{
    Csv,
    Json,
}

public static class Choices
{
    /// <summary>The word the worker and the store use for a device choice.</summary>
    public static string Word(this TrainingDevice device) => device.ToString().ToLowerInvariant();
}
