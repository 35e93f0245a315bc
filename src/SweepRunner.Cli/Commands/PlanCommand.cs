using System.ComponentModel;
using Spectre.Console.Cli;
using SweepRunner.Cli.Hosting;
using SweepRunner.Cli.Output;
using SweepRunner.Core.Planning;
using SweepRunner.Core.Settings;
using SweepRunner.Diffusion.Model;
using SweepRunner.Core.Sweeps;
using SweepRunner.Store;
using SweepRunner.Supervisor;

namespace SweepRunner.Cli.Commands;

public sealed class PlanCommand(CliConsole console) : AsyncCommand<PlanCommand.Settings>
{
    public sealed class Settings : ResultsSettings
    {
        [CommandArgument(0, "<sweep.yaml>")]
        [Description("The sweep file.")]
        public string SweepFile { get; init; } = "";

        [CommandOption("--json")]
        [Description("Print the plan as one JSON object.")]
        public bool Json { get; init; }

        [CommandOption("--save")]
        [Description("Register the sweep and its jobs in the results database (state planned).")]
        public bool Save { get; init; }
    }

    /// <summary>One warning per base model of the plan's jobs that would fail to load at training time.</summary>
    static IEnumerable<string> BaseModelWarnings(SweepPlan plan)
    {
        foreach (var model in plan.UniqueJobs.Select(j => (string)j.Settings[SettingsCatalog.BaseModel]!).Distinct(StringComparer.Ordinal))
        {
            var resolved = model == ModelFingerprint.DemoModel ? model : plan.Sweep.Resolve(model);
            if (BaseModelCheck.Problem(model, resolved) is { } problem) yield return problem;
        }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings)
    {
        // Estimates use speeds measured by earlier runs when the results folder has a database; planning never creates one.
        // So do the finished jobs a longer job can continue.
        MeasuredStepTimes? measured = null;
        ContinuableRuns? continuable = null;
        if (File.Exists(Path.Combine(settings.Results, ResultsStore.DatabaseFileName)))
        {
            var existing = await ResultsStore.OpenForReadingAsync(settings.Results);
            measured = MeasuredStepTimes.From(await existing.GetSpeedSamplesAsync());
            continuable = await ContinuableRuns.LoadAsync(existing);
        }

        SweepPlan plan;
        try
        {
            plan = new Planner
            {
                SecondsPerStep = measured is null ? null : measured.SecondsPerStep,
                EarlierRuns = continuable?.Available ?? [],
                SpentRuns = continuable?.Spent ?? new HashSet<string>(),
            }.Plan(SweepFileParser.Load(settings.SweepFile));
        }
        catch (SweepValidationException e)
        {
            ErrorOutput.Write(console.Error, e.Errors);
            return ExitCodes.Usage;
        }
        plan = plan with { Warnings = [.. plan.Warnings, .. BaseModelWarnings(plan)] };
        if (settings.Json)
            console.Out.WriteLine(PlanJson.Write(plan));
        else
            PlanTable.Write(console.Ansi, plan);
        if (!settings.Save) return ExitCodes.Ok;

        var store = await ResultsStore.OpenAsync(settings.Results);
        var result = await store.RegisterSweepAsync(PlanRegistration.From(plan));
        var message = $"saved sweep '{result.SweepName}' to {store.DatabasePath}: {(result.SweepCreated ? "new" : "updated")}, " +
                      $"{result.NewJobs} new job(s), {result.KnownJobs} already known" +
                      (result.UnlinkedLabels.Count > 0 ? $", no longer planned: {string.Join(", ", result.UnlinkedLabels)}" : "");
        // With --json, stdout holds only the JSON object.
        if (settings.Json) await console.Error.WriteLineAsync(message);
        else console.Out.WriteLine(message);
        return ExitCodes.Ok;
    }
}
