using System.ComponentModel;
using System.Runtime.InteropServices;
using Spectre.Console.Cli;
using SweepRunner.Store;
using SweepRunner.Worker;

namespace SweepRunner.Cli.Commands;

/// <summary>The training worker that <c>sweeprunner run</c> starts; not meant to be run by hand.</summary>
public sealed class WorkerCommand : AsyncCommand<WorkerCommand.Settings>
{
    public sealed class Settings : ResultsSettings
    {
        [CommandArgument(0, "<sweep.yaml>")]
        public string SweepFile { get; init; } = "";

        [CommandOption("--device <DEVICE>")]
        public string Device { get; init; } = "auto";

        [CommandOption("--job <ID>")]
        [Description("A job id to train; repeat for several, trained in order.")]
        public string[] Jobs { get; init; } = [];

        [CommandOption("--state-minutes <MINUTES>")]
        [Description("Save the training state this often (default 10).")]
        public double StateMinutes { get; init; } = 10;
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings)
    {
        using var stop = new CancellationTokenSource();
        // Every SIGINT (the terminal's and the supervisor's) asks for a graceful stop; the supervisor kills when it must.
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; stop.Cancel(); };
        Console.CancelKeyPress += onCancel;
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        var store = await ResultsStore.OpenAsync(settings.Results);
        var output = Console.Out;
        var worker = new TrainingWorker(store, message =>
        {
            lock (output)
            {
                output.WriteLine(message.ToLine());
                output.Flush();
            }
        });
        var request = new WorkerRequest(settings.SweepFile, Path.GetFullPath(settings.Results), settings.Device, settings.Jobs)
        {
            StateSaveInterval = TimeSpan.FromMinutes(settings.StateMinutes),
        };
        // The training loop stays on this one thread: TorchSharp's dispose scopes are thread-static.
        var exitCode = worker.Run(request, stop.Token);
        Console.CancelKeyPress -= onCancel;
        return exitCode;
    }
}
