using Spectre.Console;
using SweepRunner.Cli.Hosting;

namespace SweepRunner.Cli.Tests.Support;

/// <summary>Runs a command in this process on a console that records what it writes: cheap enough for tests of refusals.</summary>
public static class InProcessCli
{
    public static CliResult Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var ansi = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        var exitCode = CliApp.Run(new CliConsole(output, error, ansi), args);
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }
}
