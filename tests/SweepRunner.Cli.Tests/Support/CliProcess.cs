using System.Diagnostics;

namespace SweepRunner.Cli.Tests.Support;

public sealed record CliResult(int ExitCode, string Out, string Error);

/// <summary>Runs the real sweeprunner program (built next to the tests) in its own process.</summary>
public static class CliProcess
{
    /// <summary>How long a test waits for the real program: on a loaded 2-core machine the quickstart took over
    /// 10 minutes and a 40-step test job over 5; idle they take about 1.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(30);

    public static string RepoRoot
    {
        get
        {
            var dir = AppContext.BaseDirectory;
            while (!File.Exists(Path.Combine(dir, "SweepRunner.sln"))) dir = Path.GetDirectoryName(dir) ?? throw new InvalidOperationException("repository root not found");
            return dir;
        }
    }

    public static CliResult Run(string workingDirectory, params string[] args) => Run(workingDirectory, null, args);

    public static CliResult Run(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        using var process = Process.Start(StartInfo(workingDirectory, environment, args))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Patience)) { process.Kill(entireProcessTree: true); throw new TimeoutException("sweeprunner did not finish"); }
        return new CliResult(process.ExitCode, output.Result, error.Result);
    }

    /// <summary>Starts the program without waiting, for tests that stop it themselves.</summary>
    public static ProcessStartInfo StartInfo(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "sweeprunner.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["NO_COLOR"] = "1";
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) start.Environment[k] = v;
        return start;
    }
}
