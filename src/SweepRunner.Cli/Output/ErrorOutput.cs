using SweepRunner.Core.Sweeps;

namespace SweepRunner.Cli.Output;

public static class ErrorOutput
{
    public static void Write(IReadOnlyList<SweepError> errors)
    {
        foreach (var error in errors) Console.Error.WriteLine($"error: {error}");
        Console.Error.WriteLine($"{errors.Count} error(s); nothing was planned.");
    }
}
