using SweepRunner.Core.Results;
using SweepRunner.Core.Running;
using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using SweepRunner.Cli.Hosting;
using SweepRunner.Cli.Output;
using SweepRunner.Core.Sweeps;
using SweepRunner.Supervisor;

namespace SweepRunner.Cli.Commands;

public sealed class RunCommand(CliConsole console) : AsyncCommand<RunCommand.Settings>
{
    public sealed class Settings : ResultsSettings
    {
        [CommandArgument(0, "<sweep.yaml>")]
        [Description("The sweep file.")]
        public string SweepFile { get; init; } = "";

        [CommandOption("--device <DEVICE>")]
        [Description("auto (CUDA when available), cuda or cpu (default auto).")]
        public TrainingDevice Device { get; init; } = TrainingDevice.Auto;

        [CommandOption("--only <LABELS>")]
        [Description("Comma-separated labels: train only these jobs.")]
        public string? Only { get; init; }

        [CommandOption("--max-jobs <N>")]
        [Description("Train at most N jobs in this run.")]
        public int? MaxJobs { get; init; }

        [CommandOption("--state-minutes <MINUTES>")]
        [Description("Save a running job's training state this often (default 10); it is also saved at every checkpoint epoch.")]
        public double StateMinutes { get; init; } = 10;

        [CommandOption("--auto-scores <MODELS>")]
        [Description("clip=DIR,dino=DIR: score every preview with these CLIP and DINOv2 folders as jobs finish, in place of the sweep's auto_scores (default: the sweep's).")]
        public string? AutoScores { get; init; }

        public override ValidationResult Validate() =>
            AutoScores is { } auto && AutoScoreOption.Problem(auto) is { } problem ? ValidationResult.Error(problem)
            : MaxJobs is < 1 ? ValidationResult.Error("--max-jobs must be at least 1")
            : StateMinutes <= 0 ? ValidationResult.Error("--state-minutes must be positive")
            : ValidationResult.Success();
    }

    /// <summary>
    /// 130 when stopped by a signal; 1 when any job failed, timed out or was interrupted; else 0 (a diverged job is a
    /// result, and a job another process is training is that process's to report).
    /// </summary>
    public static int ExitCodeOf(RunSummary summary) =>
        summary.Stopped ? ExitCodes.Stopped
        : summary.Jobs.Any(j => j.Outcome is AttemptOutcome.Failed or AttemptOutcome.TimedOut or AttemptOutcome.Interrupted) ? ExitCodes.Failed
        : ExitCodes.Ok;

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings)
    {
        using var signals = new StopSignals(() => console.Error.WriteLine("stopping after the current job saves its state (Ctrl-C again to stop at once)"));

        var only = settings.Only?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        var options = new RunOptions(settings.SweepFile, settings.Results, settings.Device, only, settings.MaxJobs)
        {
            StateSaveMinutes = settings.StateMinutes,
            AutoScores = settings.AutoScores is { } auto ? AutoScoreOption.Parse(auto) : null,
        };
        var observer = new RunProgress(console.Ansi);
        try
        {
            var summary = await new SweepSupervisor(new LocalWorkerBackend(SelfCommand.Worker()), observer).RunAsync(options, signals.Stop, signals.Kill);
            observer.Finish(summary);
            return ExitCodeOf(summary);
        }
        catch (SweepValidationException e)
        {
            ErrorOutput.Write(console.Error, e.Errors);
            return ExitCodes.Usage;
        }
    }
}
