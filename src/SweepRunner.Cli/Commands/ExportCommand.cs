using System.ComponentModel;
using Spectre.Console.Cli;
using SweepRunner.Cli.Hosting;
using SweepRunner.Reports.Export;
using SweepRunner.Store;

namespace SweepRunner.Cli.Commands;

public sealed class ExportCommand(CliConsole console) : AsyncCommand<ExportCommand.Settings>
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

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings)
    {
        var store = await ResultsStore.OpenForReadingAsync(settings.Results);
        var export = await store.GetSweepExportAsync(settings.Sweep);
        if (settings.Out is { } path)
        {
            try
            {
                if (settings.Format == ExportFormat.Csv) CsvExportWriter.WriteFile(export, path);
                else JsonExportWriter.WriteFile(export, path);
            }
            catch (Exception e) when (e is UnauthorizedAccessException || (e is IOException && e.HResult != 28))
            {
                await console.Error.WriteLineAsync($"error: cannot write '{Path.GetFullPath(path)}' ({e.Message}). Choose a writable place with --out.");
                return ExitCodes.Failed;
            }
            await console.Error.WriteLineAsync($"wrote {export.Rows.Count} job(s) of '{settings.Sweep}' to {Path.GetFullPath(path)}");
        }
        else if (settings.Format == ExportFormat.Csv)
            CsvExportWriter.Write(export, console.Out);
        else
        {
            using var json = new MemoryStream();
            JsonExportWriter.Write(export, json);
            console.Out.Write(System.Text.Encoding.UTF8.GetString(json.ToArray()));
        }
        return ExitCodes.Ok;
    }
}
