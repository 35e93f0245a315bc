using SweepRunner.Core.Running;
using System.ComponentModel;
using Spectre.Console.Cli;
using SweepRunner.Cli.Hosting;
using SweepRunner.Core.Results;
using SweepRunner.Store;
using SweepRunner.Worker;

namespace SweepRunner.Cli.Commands;

/// <summary>
/// The training worker that <c>sweeprunner run</c> starts; not meant to be run by hand. It reads each job's spec from the
/// results database (the run recorded it there), never the sweep file.
/// </summary>
public sealed class WorkerCommand(CliConsole console) : AsyncCommand<WorkerCommand.Settings>
{
    public sealed class Settings : ResultsSettings
    {
        [CommandOption("--sweep <NAME>")]
        [Description("The sweep whose recorded job specs to train.")]
        public string Sweep { get; init; } = "";

        [CommandOption("--device <DEVICE>")]
        [Description("auto (CUDA when available), cuda or cpu (default auto).")]
        public TrainingDevice Device { get; init; } = TrainingDevice.Auto;

        [CommandOption("--job <ID>")]
        [Description("A job id to train; repeat for several, trained in order.")]
        public string[] Jobs { get; init; } = [];

        [CommandOption("--state-minutes <MINUTES>")]
        [Description("Save the training state this often (default 10).")]
        public double StateMinutes { get; init; } = 10;

        [CommandOption("--supervised")]
        [Description("Stop (saving the training state) when standard input closes, that is, when the supervisor that started this worker ends.")]
        public bool Supervised { get; init; }

        public override Spectre.Console.ValidationResult Validate() =>
            Sweep.Length == 0 ? Spectre.Console.ValidationResult.Error("--sweep <NAME> is required: the sweep whose job specs the worker trains")
            : Spectre.Console.ValidationResult.Success();
    }

    /// <summary>
    /// The supervisor never writes to the worker's standard input; the pipe closes when the supervisor ends, however it
    /// ends (a SIGKILL included), and then the worker saves its state and stops rather than train on unwatched.
    /// </summary>
    static void StopWhenInputCloses(StopSignals signals)
    {
        var watcher = new Thread(() =>
        {
            using var input = Console.OpenStandardInput();
            var buffer = new byte[256];
            try
            {
                while (input.Read(buffer) > 0) { }
            }
            catch (IOException)
            {
            }
            signals.RequestStop();
        }) { IsBackground = true, Name = "supervisor watch" };
        watcher.Start();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings)
    {
        // Every SIGINT (the terminal's and the supervisor's) asks for a graceful stop; the supervisor kills when it must.
        using var signals = new StopSignals();
        ResultsStore store;
        try
        {
            store = await ResultsStore.OpenAsync(settings.Results);
        }
        catch (ResultsStoreException e)
        {
            await console.Error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.Failed;
        }
        if (settings.Supervised) StopWhenInputCloses(signals);
        var output = console.Out;
        var worker = new TrainingWorker(store, message =>
        {
            lock (output)
            {
                try
                {
                    output.WriteLine(message.ToLine());
                    output.Flush();
                }
                catch (IOException)
                {
                    // The supervisor is gone (a broken pipe); the store holds the record, and the worker is stopping.
                }
            }
        });
        var request = new WorkerRequest(settings.Sweep, Path.GetFullPath(settings.Results), settings.Device, settings.Jobs)
        {
            StateSaveInterval = TimeSpan.FromMinutes(settings.StateMinutes),
        };
        // The training loop stays on this one thread: TorchSharp's dispose scopes are thread-static.
        try
        {
            return worker.Run(request, signals.Stop);
        }
        catch (ResultsStoreException e)
        {
            // No spec for a job (or no such sweep): the supervisor reports this line as why the worker failed.
            await console.Error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.Failed;
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException or InvalidDataException or FormatException)
        {
            // Before a job's training started (no such device, a missing prompt file): one line the supervisor shows as the reason.
            await console.Error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.Failed;
        }
    }
}
