using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console.Cli;
using SweepRunner.Cli.Commands;
using SweepRunner.Core.Results;
using SweepRunner.Core.Text;
using SweepRunner.Store.Errors;

namespace SweepRunner.Cli.Hosting;

/// <summary>The `sweeprunner` program: its commands, the services they get, and how failures become exit codes.</summary>
public static class CliApp
{
    /// <summary>Runs one command line, writing to <paramref name="console"/>; returns the exit code.</summary>
    public static int Run(CliConsole console, string[] args)
    {
        try
        {
            return Create(console).Run(args);
        }
        catch (Exception e) when (e is DatabaseTooNewException or ResultsDiskFullException)
        {
            // Nothing wrong with what the user typed: a newer database, a full disk. The message says what to do.
            console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.Failed;
        }
        catch (Exception e) when (e is CommandAppException or CliInputException or ResultsStoreException)
        {
            // Bad arguments, a missing database, an unknown sweep or label: the message says which and what to do.
            console.Error.WriteLine($"error: {e.Message}{Suggestion(e)}");
            return ExitCodes.Usage;
        }
    }

    // The commands a user types; worker is started by run and stays out of suggestions and help.
    static readonly string[] CommandNames = ["plan", "run", "status", "score", "report", "next", "autoscore", "serve", "export", "doctor", "demo-data", "sample", "demo-model"];

    /// <summary>" Did you mean 'run'?" after an unknown command that is close to a real one.</summary>
    static string Suggestion(Exception e)
    {
        const string unknown = "Unknown command '";
        if (e is not CommandParseException || !e.Message.StartsWith(unknown, StringComparison.Ordinal)) return "";
        var word = e.Message[unknown.Length..].TrimEnd('.', '\'');
        return ClosestMatch.Find(word, CommandNames, maxDistance: 2) is { } near
            ? $" Did you mean '{near}'? (sweeprunner --help lists the commands)"
            : " sweeprunner --help lists the commands.";
    }

    static string Version() =>
        typeof(CliApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(CliApp).Assembly.GetName().Version?.ToString() ?? "unknown";

    static CommandApp Create(CliConsole console)
    {
        var services = new ServiceCollection();
        services.AddSingleton(console);
        var app = new CommandApp(new TypeRegistrar(services));
        app.Configure(config =>
        {
            config.SetApplicationName("sweeprunner");
            config.SetApplicationVersion(Version());
            config.ConfigureConsole(console.Ansi);
            config.PropagateExceptions();
            config.SetInterceptor(new ResultsDatabaseInterceptor());
            config.AddCommand<PlanCommand>("plan").WithDescription("Expand a sweep file into jobs with steps and time estimates.");
            config.AddCommand<RunCommand>("run").WithDescription("Plan, save and train every job of a sweep that has not succeeded yet.");
            config.AddCommand<WorkerCommand>("worker").IsHidden();
            config.AddCommand<StatusCommand>("status").WithDescription("Show the jobs of a sweep with state, progress and ETA.");
            config.AddCommand<ScoreCommand>("score").WithDescription("Score a job (0-100) by label, or import scores from a CSV file.");
            config.AddCommand<ReportCommand>("report").WithDescription("Write an HTML report of a sweep: summary, grids, charts, verdicts, failures, data files.");
            config.AddCommand<AutoScoreCommand>("autoscore").WithDescription("Score a sweep's previews by CLIP-I, DINO and CLIP-T (what a model has scored is skipped).");
            config.AddCommand<NextCommand>("next").WithDescription("Write the next sweep file from a sweep's results: the base moved to what won, numeric winners refined, ties given more seeds, inert settings dropped.");
            config.AddCommand<ServeCommand>("serve").WithDescription("Serve the scoring page: gallery, blind and pairwise scoring of a sweep's previews, ratings.");
            config.AddCommand<ExportCommand>("export").WithDescription("Export one row per job: settings, state, timings, loss, scores.");
            config.AddCommand<DoctorCommand>("doctor").WithDescription("Report versions, devices and set-up problems.");
            config.AddCommand<DemoDataCommand>("demo-data").WithDescription("Write a generated dataset in kohya layout.");
            config.AddCommand<SampleCommand>("sample").WithDescription("Generate one image with a base model (and optionally a LoRA); writes a PNG with AUTOMATIC1111 parameters.");
            config.AddCommand<DemoModelCommand>("demo-model").WithDescription("Train the bundled demo model (tiny config) from generated shape images.");
        });
        return app;
    }
}
