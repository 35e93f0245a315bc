using System.ComponentModel;
using System.Text;
using Spectre.Console.Cli;
using SweepRunner.Cli.Hosting;
using SweepRunner.Core.Files;
using SweepRunner.Core.Planning;
using SweepRunner.Core.Sweeps;
using SweepRunner.Reports.Analysis;
using SweepRunner.Reports.Html;
using SweepRunner.Reports.NextSweep;
using SweepRunner.Store;

namespace SweepRunner.Cli.Commands;

public sealed class NextCommand(CliConsole console) : AsyncCommand<NextCommand.Settings>
{
    public sealed class Settings : ExistingResultsSettings
    {
        [CommandArgument(0, "<sweep.yaml>")]
        [Description("The sweep file that ran; its results are read from the results folder.")]
        public string SweepFile { get; init; } = "";

        [CommandOption("--out <FILE>")]
        [Description("The new sweep file (default: <sweep>.next.yaml beside the sweep file).")]
        public string? Out { get; init; }

        [CommandOption("--force")]
        [Description("Replace the output file if it exists (default: refuse).")]
        public bool Force { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings)
    {
        var sweep = SweepFileParser.Load(settings.SweepFile);
        var plan = new Planner().Plan(sweep);
        var output = Path.GetFullPath(settings.Out ?? Path.ChangeExtension(Path.GetFullPath(settings.SweepFile), null) + ".next.yaml");
        if (File.Exists(output) && !settings.Force)
        {
            await console.Error.WriteLineAsync($"error: '{output}' exists; give another --out, or --force to replace it.");
            return ExitCodes.Failed;
        }

        var store = await ResultsStore.OpenForReadingAsync(settings.Results);
        var data = await store.GetSweepReportDataAsync(sweep.Name);
        var jobs = ReportJob.From(data);
        var analysis = SweepAnalyzer.Analyze(jobs.Where(job => !job.IsDuplicate).Select(job => job.Analysis).ToList());
        var next = NextSweepPlanner.Decide(plan, analysis);
        var text = NextSweepWriter.Render(next, plan, output, DateTimeOffset.UtcNow, out var prompts);
        try
        {
            if (prompts is { } file) AtomicFile.Write(file.Path, stream => stream.Write(new UTF8Encoding(false).GetBytes(file.Text)));
            AtomicFile.Write(output, stream => stream.Write(new UTF8Encoding(false).GetBytes(text)));
        }
        catch (Exception e) when (e is UnauthorizedAccessException || (e is IOException && e.HResult != 28))
        {
            await console.Error.WriteLineAsync($"error: cannot write '{output}' ({e.Message}). Choose a writable place with --out.");
            return ExitCodes.Failed;
        }

        foreach (var setting in next.Settings)
            await console.Error.WriteLineAsync($"  {string.Join(" + ", setting.Keys)}: {setting.Choice.ToString().ToLowerInvariant()}");
        await console.Error.WriteLineAsync($"wrote the next sweep of '{sweep.Name}' ({next.MovedBase.Count} base setting(s) moved, "
                                           + $"{next.Settings.Count(s => s.Levels.Count > 0)} setting(s) to sweep); plan it with: sweeprunner plan {output}");
        console.Out.WriteLine(output);
        return ExitCodes.Ok;
    }
}
