using System.Globalization;
using Spectre.Console;
using SweepRunner.Core.Results;
using SweepRunner.Core.Scoring;

namespace SweepRunner.Cli.Output;

public static class StatusTable
{
    public static void Write(IAnsiConsole console, SweepStatus status)
    {
        // Off a terminal nothing wraps: room for the longest reason too.
        if (!console.Profile.Out.IsTerminal)
            console.Profile.Width = Math.Max(console.Profile.Width, 160 + status.Jobs.Select(j => j.Reason?.Length ?? 0).DefaultIfEmpty(0).Max());
        console.MarkupLine($"[bold]{Markup.Escape(status.Name)}[/]  ({Markup.Escape(status.SourceFile)})");
        var table = new Table().Border(TableBorder.Simple)
            .AddColumn("label").AddColumn("state").AddColumn(new TableColumn("progress").RightAligned())
            .AddColumn(new TableColumn("steps").RightAligned()).AddColumn("attempts").AddColumn("duplicate of").AddColumn("reason");
        var validated = status.Jobs.Any(job => job.ValidationLoss is not null || job.BestEpoch is not null);
        if (validated) table.AddColumn(new TableColumn("validation loss (best epoch)").RightAligned());
        var autoScored = status.Jobs.Any(job => job.AutoScores.Count > 0);
        if (autoScored) table.AddColumn("automatic scores");
        foreach (var job in status.Jobs)
        {
            List<string> cells = [
                Markup.Escape(job.Label),
                StoredNames.Of(job.State),
                job.DivergedAtStep is { } diverged ? $"diverged at step {diverged}" : job.Progress.ToString("0%", CultureInfo.InvariantCulture),
                $"{job.LastStep}/{job.TotalSteps}",
                Markup.Escape(string.Join(", ", job.Attempts.Select(a => $"{(a.Outcome is { } o ? StoredNames.Of(o) : "running")} {Durations.Short(a.Duration.TotalSeconds)}"))),
                Markup.Escape(job.DuplicateOfLabel ?? ""),
                Markup.Escape(job.Reason ?? "")];
            if (validated)
                cells.Add(job.ValidationLoss is { } loss
                    ? string.Create(CultureInfo.InvariantCulture, $"{loss:0.0000}{(job.BestEpoch is { } best ? $" (e{best})" : "")}")
                    : "");
            if (autoScored)
                cells.Add(Markup.Escape(string.Join(" · ", job.AutoScores.Select(score =>
                    string.Create(CultureInfo.InvariantCulture, $"{score.Metric.DisplayName()} {score.Mean:0.000}")))));
            table.AddRow(cells.ToArray());
        }
        console.Write(table);
        var eta = status.EstimatedCompletion is { } at ? $", ETA {at.ToLocalTime():yyyy-MM-dd HH:mm} ({status.EtaBasis switch { EtaBasis.MeasuredSpeed => "measured speed", EtaBasis.Estimate => "planner estimate", _ => "finished" }})" : "";
        console.MarkupLine($"done {status.DoneJobs} (succeeded {status.SucceededJobs}), remaining {status.RemainingJobs}, " +
                           $"remaining time {Durations.Short(status.RemainingTime.TotalSeconds)}{Markup.Escape(eta)}");
    }
}
