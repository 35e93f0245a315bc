namespace SweepRunner.Core.Running;

/// <summary>Where training runs: <c>auto</c> picks CUDA when this build and machine have it.</summary>
public enum TrainingDevice
{
    Auto,
    Cuda,
    Cpu,
}

public static class TrainingDevices
{
    /// <summary>The word on the command line (<c>--device cpu</c>).</summary>
    public static string Word(this TrainingDevice device) => device.ToString().ToLowerInvariant();
}
