using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using SweepRunner.Cli.Hosting;
using SweepRunner.Cli.Output;
using SweepRunner.Store;

namespace SweepRunner.Cli.Commands;

public sealed class StatusCommand(CliConsole console) : AsyncCommand<StatusCommand.Settings>
{
    public sealed class Settings : ExistingResultsSettings
    {
        [CommandArgument(0, "[sweep]")]
        [Description("A sweep name; without it, every sweep in the results folder.")]
        public string? Sweep { get; init; }

        [CommandOption("--json")]
        [Description("Print the status as one JSON object.")]
        public bool Json { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings)
    {
        var store = await ResultsStore.OpenForReadingAsync(settings.Results);
        var names = settings.Sweep is { } one ? [one] : (await store.ListSweepsAsync()).Select(s => s.Name).ToList();
        var statuses = new List<SweepRunner.Core.Results.SweepStatus>();
        foreach (var name in names) statuses.Add(await store.GetSweepStatusAsync(name));
        if (settings.Json)
            console.Out.WriteLine(StatusJson.Write(statuses));
        else
            foreach (var status in statuses) StatusTable.Write(console.Ansi, status);
        return ExitCodes.Ok;
    }
}
