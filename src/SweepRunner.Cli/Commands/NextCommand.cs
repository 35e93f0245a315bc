using System.ComponentModel;
using System.Text;
using Spectre.Console.Cli;
using SweepRunner.Cli.Hosting;
using SweepRunner.Cli.Output;
using SweepRunner.Core.Files;
using SweepRunner.Core.Planning;
using SweepRunner.Core.Results;
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
        [CommandArgument(0, "<sweep>")]
        [Description("The sweep file that ran, or the sweep's name as 'sweeprunner status' shows it (then the file it was planned from).")]
        public string Sweep { get; init; } = "";

        [CommandOption("--out <FILE>")]
        [Description("The new sweep file (default: <sweep>.next.yaml beside the sweep file).")]
        public string? Out { get; init; }

        [CommandOption("--force")]
        [Description("Replace the output file if it exists (default: refuse).")]
        public bool Force { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings)
    {
        var store = await ResultsStore.OpenForReadingAsync(settings.Results);
        var sweepFile = settings.Sweep;
        if (!File.Exists(sweepFile))
        {
            var sweeps = await store.ListSweepsAsync();
            if (sweeps.FirstOrDefault(sweep => sweep.Name == settings.Sweep) is not { } known)
                throw new CliInputException($"'{settings.Sweep}' is neither a sweep file nor a sweep in {store.DatabasePath}"
                                            + (sweeps.Count > 0 ? $" (it has {string.Join(", ", sweeps.Select(sweep => sweep.Name))})." : "."));
            if (!File.Exists(known.SourceFile))
                throw new CliInputException($"sweep '{known.Name}' was planned from '{known.SourceFile}', which is not there any more: give the sweep file instead.");
            sweepFile = known.SourceFile;
        }

        SweepPlan plan;
        try
        {
            plan = new Planner().Plan(SweepFileParser.Load(sweepFile));
        }
        catch (SweepValidationException e)
        {
            ErrorOutput.Write(console.Error, e.Errors);
            return ExitCodes.Usage;
        }

        var output = Path.GetFullPath(settings.Out ?? Path.ChangeExtension(Path.GetFullPath(sweepFile), null) + ".next.yaml");
        if (File.Exists(output) && !settings.Force)
        {
            await console.Error.WriteLineAsync($"error: '{output}' exists; give another --out, or --force to replace it.");
            return ExitCodes.Failed;
        }

        await console.Error.WriteLineAsync($"reading sweep '{plan.Sweep.Name}' from {store.DatabasePath}");
        var data = await store.GetSweepReportDataAsync(plan.Sweep.Name);
        var jobs = ReportJob.From(data).Where(job => !job.IsDuplicate).ToList();
        var analysis = SweepAnalyzer.Analyze(jobs.Select(job => job.Analysis).ToList());
        if (NextSweepPlanner.Mismatches(plan, analysis) is { Count: > 0 } mismatches)
        {
            await console.Error.WriteLineAsync($"error: '{Path.GetFullPath(sweepFile)}' is not the file the results of '{plan.Sweep.Name}' were recorded for:");
            foreach (var line in mismatches.Take(5)) await console.Error.WriteLineAsync($"  {line}");
            if (mismatches.Count > 5) await console.Error.WriteLineAsync($"  … and {mismatches.Count - 5} more");
            await console.Error.WriteLineAsync("Put the file back as it ran, or run the edited one first ('sweeprunner run').");
            return ExitCodes.Failed;
        }

        var next = NextSweepPlanner.Decide(plan, analysis, await FinalLorasAsync(store, jobs));
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

        NextSweepSummary.Write(console.Error, plan.Sweep.Name, next, output);
        console.Out.WriteLine(output);
        return ExitCodes.Ok;
    }

    /// <summary>Each succeeded job's last LoRA file by label, as the data hash of its tensors.</summary>
    static async Task<IReadOnlyDictionary<string, string>> FinalLorasAsync(ResultsStore store, IEnumerable<ReportJob> jobs)
    {
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var job in jobs.Where(job => job.Row.State == JobState.Succeeded))
        {
            var last = (await store.GetCheckpointsAsync(job.Row.JobId)).MaxBy(checkpoint => checkpoint.Epoch);
            if (last?.File.DataSha256 is { } hash) hashes[job.Label] = hash;
        }

        return hashes;
    }
}
