using System.ComponentModel;
using Spectre.Console.Cli;
using SweepRunner.Cli.Hosting;
using SweepRunner.Reports.Html;
using SweepRunner.Store;

namespace SweepRunner.Cli.Commands;

public sealed class ReportCommand(CliConsole console) : AsyncCommand<ReportCommand.Settings>
{
    public sealed class Settings : ExistingResultsSettings
    {
        [CommandArgument(0, "<sweep>")]
        [Description("The sweep's name, as 'sweeprunner status' shows it.")]
        public string Sweep { get; init; } = "";

        [CommandOption("--out <DIR>")]
        [Description("Report folder (default: <results>/reports/<sweep>/).")]
        public string? Out { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings)
    {

        var store = await ResultsStore.OpenForReadingAsync(settings.Results);
        await console.Error.WriteLineAsync($"reading sweep '{settings.Sweep}' from {store.DatabasePath}");
        var data = await store.GetSweepReportDataAsync(settings.Sweep);
        var folder = settings.Out ?? Path.Combine(store.ResultsFolder, "reports", SafeFolderName(settings.Sweep));
        ReportResult result;
        try
        {
            result = SweepReportWriter.Write(data, store.ResultsFolder, folder, DateTimeOffset.UtcNow, new SynchronousProgress(console.Error));
        }
        catch (Exception e) when (e is UnauthorizedAccessException || (e is IOException && e.HResult != 28))
        {
            await console.Error.WriteLineAsync($"error: cannot write the report into '{Path.GetFullPath(folder)}' ({e.Message}). Choose a writable folder with --out.");
            return ExitCodes.Failed;
        }

        await console.Error.WriteLineAsync($"wrote the report of '{settings.Sweep}' ({data.Export.Rows.Count} job(s), {result.Files.Count} file(s)) to {result.Folder}");
        console.Out.WriteLine(result.IndexPath);
        return ExitCodes.Ok;
    }

    private static string SafeFolderName(string sweep) => sweep is "." or ".." ? "sweep" : sweep;

    /// <summary>Writes each step as it happens (Progress&lt;T&gt; would post to the thread pool and could print late).</summary>
    private sealed class SynchronousProgress(TextWriter writer) : IProgress<string>
    {
        public void Report(string value) => writer.WriteLine($"  {value}…");
    }
}
