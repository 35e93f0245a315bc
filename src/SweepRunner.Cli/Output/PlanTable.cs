using System.Globalization;
using Spectre.Console;
using SweepRunner.Core.Planning;

namespace SweepRunner.Cli.Output;

public static class PlanTable
{
    /// <summary>"measured" when the estimate comes from a speed an earlier run measured, "guess" when from steps_per_second.</summary>
    public static string EstimateBasis(PlannedJob job) => job.EstimateMeasured ? "measured" : "guess";

    /// <summary>"3 @ 9000": the label (with its sweep when another sweep planned it) and the step the job continues from.</summary>
    public static string ContinuesText(JobContinuation continues) =>
        continues.Name + " @ " + continues.Step.ToString(CultureInfo.InvariantCulture);

    static string Fraction(PlanTotals t) =>
        (t.StepsAlone == 0 ? 1 : (double)t.StepsToTrain / t.StepsAlone).ToString("0.0%", CultureInfo.InvariantCulture);

    public static void Write(IAnsiConsole console, SweepPlan plan)
    {
        // Redirected output has no terminal width; a wide table reads better in a log than a wrapped one.
        if (!console.Profile.Out.IsTerminal) console.Profile.Width = Math.Max(console.Profile.Width, 180);
        console.MarkupLine($"[bold]{Markup.Escape(plan.Sweep.Name)}[/]  dataset {Markup.Escape(plan.Sweep.DatasetPath)}: " +
                           $"{plan.Dataset.ImageCount} images in {plan.Dataset.Folders.Count} folder(s)");
        var table = new Table().Border(TableBorder.Simple);
        table.AddColumn("label");
        table.AddColumn("differs from base");
        table.AddColumn(new TableColumn("steps/epoch").RightAligned());
        table.AddColumn(new TableColumn("total steps").RightAligned());
        table.AddColumn(new TableColumn("estimate").RightAligned());
        table.AddColumn("duplicate of");
        table.AddColumn("continues");
        foreach (var job in plan.Jobs)
            table.AddRow(
                Markup.Escape(job.Label),
                Markup.Escape(job.DiffText),
                job.Steps.StepsPerEpoch.ToString(),
                job.Steps.TotalSteps.ToString(),
                $"~{Durations.Short(job.EstimatedSeconds)} ({EstimateBasis(job)})",
                job.DuplicateOf is { } first ? Markup.Escape(first) : "",
                job.Continues is { } continues ? Markup.Escape(ContinuesText(continues)) : "");
        console.Write(table);
        var t = plan.Totals;
        var unique = plan.UniqueJobs.ToList();
        var measured = unique.Count(j => j.EstimateMeasured);
        var side = FallbackStepTime.ReferenceSide;
        var basis = measured == unique.Count && unique.Count > 0 ? "measured speeds"
            : $"{(measured > 0 ? $"{measured} job(s) measured, the rest a " : "")}guess: {plan.Sweep.StepsPerSecond.ToString(CultureInfo.InvariantCulture)} steps/s " +
              $"at one {side}x{side} image a step, scaled by batch x accumulation x pixels/{side}²";
        console.MarkupLine($"jobs {t.Jobs}, unique {t.UniqueJobs}, excluded {t.Excluded}, total steps {t.TotalSteps}, " +
                           $"estimated {Durations.Hours(t.EstimatedSeconds)} h ({Markup.Escape(basis)})");
        if (t.StepsToTrain != t.StepsAlone)
            console.MarkupLine($"steps to train {t.StepsToTrain} of {t.StepsAlone} if every job trained alone ({Fraction(t)}): " +
                               "duplicates train once, and a longer job continues a shorter one it starts like");
        foreach (var job in plan.Jobs.Where(j => j.DuplicateOf is not null))
            console.MarkupLine($"[grey]{Markup.Escape(job.Label)} is a duplicate of {Markup.Escape(job.DuplicateOf!)}: {Markup.Escape(job.DuplicateReason ?? "")}[/]");
        foreach (var excluded in plan.ExcludedExamples)
            console.MarkupLine($"[grey]excluded {Markup.Escape(excluded.Label)}: {Markup.Escape(excluded.Reason)}[/]");
        foreach (var warning in plan.Warnings)
            console.MarkupLine($"[yellow]warning:[/] {Markup.Escape(warning)}");
    }
}
