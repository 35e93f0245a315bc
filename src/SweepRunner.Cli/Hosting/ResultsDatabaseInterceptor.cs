using Spectre.Console.Cli;
using SweepRunner.Store;

namespace SweepRunner.Cli.Hosting;

/// <summary>
/// Before a command that reads results runs: the results folder must hold a database, or the command ends with
/// one line saying where it looked and what to do (instead of creating an empty database there).
/// </summary>
public sealed class ResultsDatabaseInterceptor : ICommandInterceptor
{
    public void Intercept(CommandContext context, CommandSettings settings)
    {
        if (settings is not IReadsResults reads) return;
        // Wrong arguments are reported first, by the settings' own validation.
        if (!settings.Validate().Successful) return;
        if (File.Exists(Path.Combine(reads.Results, ResultsStore.DatabaseFileName))) return;
        throw new CliInputException(MissingDatabase(reads.Results));
    }

    public static string MissingDatabase(string results) =>
        $"no results database in '{Path.GetFullPath(results)}'. Run a sweep first ('sweeprunner run <sweep.yaml>') or register one "
        + "('sweeprunner plan <sweep.yaml> --save'), or pass --results DIR.";
}
