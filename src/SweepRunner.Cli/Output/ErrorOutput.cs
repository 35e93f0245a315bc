using SweepRunner.Core.Sweeps;

namespace SweepRunner.Cli.Output;

public static class ErrorOutput
{
    public static void Write(TextWriter error, IReadOnlyList<SweepError> errors)
    {
        foreach (var e in errors) error.WriteLine($"error: {e}");
        error.WriteLine($"{errors.Count} error(s); nothing was planned.");
    }
}
