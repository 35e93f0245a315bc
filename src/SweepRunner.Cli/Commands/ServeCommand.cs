using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using SweepRunner.Cli.Hosting;
using SweepRunner.Store;
using SweepRunner.Web;

namespace SweepRunner.Cli.Commands;

public sealed class ServeCommand(CliConsole console) : AsyncCommand<ServeCommand.Settings>
{
    public sealed class Settings : ExistingResultsSettings
    {
        [CommandOption("--port <N>")]
        [Description("TCP port (default 5180; 0 picks a free one).")]
        public int Port { get; init; } = ScoringServerOptions.DefaultPort;

        [CommandOption("--address <IP>")]
        [Description("Address to listen on (default 127.0.0.1, this machine only; ::ffff:127.0.0.1 is 127.0.0.1). Any other address needs --token.")]
        public string Address { get; init; } = ScoringServerOptions.DefaultAddress;

        [CommandOption("--token <TOKEN>")]
        [Description("A secret every request must carry: the printed address brings it once (?token=), then a cookie keeps it; scripts send the X-SweepRunner-Token header.")]
        public string? Token { get; init; }

        [CommandOption("--allow-host <NAME>")]
        [Description("With --token: a host name the page also answers to (besides localhost, 127.0.0.1, [::1] and --address); repeat for several.")]
        public string[] AllowHosts { get; init; } = [];

        public ScoringServerOptions Options() => new() { Address = Address, Port = Port, Token = Token, AllowedHosts = AllowHosts };

        public override ValidationResult Validate() =>
            Options().Problem() is { } problem ? ValidationResult.Error(problem) : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings)
    {
        var options = settings.Options();
        using var signals = new StopSignals();
        ScoringServer server;
        try
        {
            server = await ScoringServer.StartAsync(options, await ResultsStore.OpenForReadingAsync(settings.Results, cancellationToken: signals.Stop), signals.Stop);
        }
        catch (ScoringServerBindException e)
        {
            await console.Error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.Failed;
        }

        await using (server)
        {
            console.Out.WriteLine($"Scoring page: {ScoringServer.PageUrl(server.Url, settings.Token)}");
            console.Out.WriteLine($"Results: {Path.GetFullPath(settings.Results)}. Press Ctrl+C to stop.");
            try
            {
                await Task.Delay(Timeout.Infinite, signals.Stop);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C or SIGTERM: stop serving.
            }

            await server.StopAsync();
        }

        console.Out.WriteLine("stopped");
        return ExitCodes.Ok;
    }
}
