using Spectre.Console;

namespace SweepRunner.Cli.Hosting;

/// <summary>
/// Where a command writes: <see cref="Out"/> for its result (JSON, CSV, paths: written as is, never wrapped),
/// <see cref="Error"/> for messages, <see cref="Ansi"/> for tables and progress. Injected, so tests read what was written.
/// </summary>
public sealed class CliConsole(TextWriter output, TextWriter error, IAnsiConsole ansi)
{
    public static CliConsole System() => new(Console.Out, Console.Error, AnsiConsole.Console);

    public TextWriter Out { get; } = output;

    public TextWriter Error { get; } = error;

    public IAnsiConsole Ansi { get; } = ansi;
}
