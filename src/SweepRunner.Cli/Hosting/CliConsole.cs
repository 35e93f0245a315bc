using Spectre.Console;

namespace SweepRunner.Cli.Hosting;

/// <summary>
/// Where a command writes: <see cref="Out"/> for its result (JSON, CSV, paths: written as is, never wrapped),
/// <see cref="Error"/> for messages, <see cref="Ansi"/> for tables and progress. Injected, so tests read what was written.
/// </summary>
public sealed class CliConsole(TextWriter output, TextWriter error, IAnsiConsole ansi)
{
    /// <summary>The process's console; into a pipe or a file no ANSI codes are written (no colour, no bold).</summary>
    public static CliConsole System() => new(Console.Out, Console.Error, Console.IsOutputRedirected
        ? AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Out = new AnsiConsoleOutput(Console.Out) })
        : AnsiConsole.Console);

    public TextWriter Out { get; } = output;

    public TextWriter Error { get; } = error;

    public IAnsiConsole Ansi { get; } = ansi;
}
