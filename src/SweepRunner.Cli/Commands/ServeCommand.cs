using System.ComponentModel;
using System.Runtime.InteropServices;
using Spectre.Console.Cli;
using SweepRunner.Store;
using SweepRunner.Web;

namespace SweepRunner.Cli.Commands;

public sealed class ServeCommand : AsyncCommand<ServeCommand.Settings>
{
    public sealed class Settings : ResultsSettings
    {
        [CommandOption("--port <N>")]
        [Description("TCP port (default 5180; 0 picks a free one).")]
        public int Port { get; init; } = ScoringServerOptions.DefaultPort;

        [CommandOption("--address <IP>")]
        [Description("Address to listen on (default 127.0.0.1, this machine only). Any other address needs --token.")]
        public string Address { get; init; } = ScoringServerOptions.DefaultAddress;

        [CommandOption("--token <TOKEN>")]
        [Description("A secret every request must carry (?token= in the address the command prints).")]
        public string? Token { get; init; }
    }

    public override Task<int> ExecuteAsync(CommandContext context, Settings settings) => StoreErrors.Guard(async () =>
    {
        var options = new ScoringServerOptions() { Address = settings.Address, Port = settings.Port, Token = settings.Token };
        if (options.Problem() is { } problem)
        {
            await Console.Error.WriteLineAsync($"error: {problem}");
            return ExitCodes.Usage;
        }

        if (!File.Exists(Path.Combine(settings.Results, ResultsStore.DatabaseFileName)))
        {
            await Console.Error.WriteLineAsync($"error: no results database in '{Path.GetFullPath(settings.Results)}'. Run a sweep first ('sweeprunner run <sweep.yaml>'), or pass --results DIR.");
            return ExitCodes.Usage;
        }

        using var stop = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; stop.Cancel(); };
        Console.CancelKeyPress += onCancel;
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        try
        {
            ScoringServer server;
            try
            {
                server = await ScoringServer.StartAsync(options, await ResultsStore.OpenAsync(settings.Results, cancellationToken: stop.Token), stop.Token);
            }
            catch (IOException e)
            {
                await Console.Error.WriteLineAsync($"error: cannot listen on {settings.Address}:{settings.Port} ({e.Message}). Choose another --port.");
                return ExitCodes.Failed;
            }

            await using (server)
            {
                Console.Out.WriteLine($"Scoring page: {ScoringServer.PageUrl(server.Url, settings.Token)}");
                Console.Out.WriteLine($"Results: {Path.GetFullPath(settings.Results)}. Press Ctrl+C to stop.");
                try
                {
                    await Task.Delay(Timeout.Infinite, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    // Ctrl+C or SIGTERM: stop serving.
                }

                await server.StopAsync();
            }

            Console.Out.WriteLine("stopped");
            return ExitCodes.Ok;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    });
}
