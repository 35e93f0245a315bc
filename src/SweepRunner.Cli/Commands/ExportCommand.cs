using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using SweepRunner.Reports.Export;
using SweepRunner.Store;

namespace SweepRunner.Cli.Commands;

public sealed class ExportCommand : AsyncCommand<ExportCommand.Settings>
{
    public sealed class Settings : ExistingResultsSettings
    {
        [CommandArgument(0, "<sweep>")]
        [Description("The sweep's name, as 'sweeprunner status' shows it.")]
        public string Sweep { get; init; } = "";

        [CommandOption("--format <FORMAT>")]
        [Description("csv or json (default csv).")]
        public ExportFormat Format { get; init; } = ExportFormat.Csv;

        [CommandOption("--out <FILE>")]
        [Description("Write to this file (atomically) instead of standard output.")]
        public string? Out { get; init; }
    }

    public override Task<int> ExecuteAsync(CommandContext context, Settings settings) => StoreErrors.Guard(async () =>
    {
        var store = await ResultsStore.OpenAsync(settings.Results);
        var export = await store.GetSweepExportAsync(settings.Sweep);
        if (settings.Out is { } path)
        {
            if (settings.Format == ExportFormat.Csv) CsvExportWriter.WriteFile(export, path);
            else JsonExportWriter.WriteFile(export, path);
            await Console.Error.WriteLineAsync($"wrote {export.Rows.Count} job(s) of '{settings.Sweep}' to {Path.GetFullPath(path)}");
        }
        else if (settings.Format == ExportFormat.Csv)
            CsvExportWriter.Write(export, Console.Out);
        else
        {
            using var stdout = Console.OpenStandardOutput();
            JsonExportWriter.Write(export, stdout);
        }
        return ExitCodes.Ok;
    });
}
