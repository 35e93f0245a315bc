using System.Diagnostics;
using SweepRunner.Cli.Tests.Support;

namespace SweepRunner.Cli.Tests.Commands;

/// <summary>serve: refuses an open address without a token, serves a results folder, stops on SIGTERM.</summary>
public class ServeCommandTests : IDisposable
{
    readonly string _results = Directory.CreateTempSubdirectory("sweeprunner-serve-").FullName;

    public void Dispose() => Directory.Delete(_results, recursive: true);

    [Fact]
    public void AnOpenAddressWithoutATokenIsAUsageError()
    {
        var result = CliProcess.Run(CliProcess.RepoRoot, "serve", "--address", "0.0.0.0", "--results", _results);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--token", result.Error);
    }

    [Fact]
    public void WithoutADatabaseItSaysHowToMakeOne()
    {
        var result = CliProcess.Run(CliProcess.RepoRoot, "serve", "--results", _results);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no results database", result.Error);
    }

    [Fact]
    public async Task ItPrintsTheAddressServesThePageAndStopsOnSigterm()
    {
        Assert.Equal(0, CliProcess.Run(CliProcess.RepoRoot, "plan", "sweeps/quickstart.yaml", "--save", "--results", _results).ExitCode);
        using var process = Process.Start(CliProcess.StartInfo(CliProcess.RepoRoot, null, "serve", "--port", "0", "--token", "cli-test-token", "--results", _results))!;
        try
        {
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.StartsWith("Scoring page: http://127.0.0.1:", line);
            var url = new Uri(line!["Scoring page: ".Length..]);
            Assert.Equal("?token=cli-test-token", url.Query);
            using var http = new HttpClient();
            Assert.Contains("quickstart", await http.GetStringAsync(new Uri(url, "/api/sweeps?token=cli-test-token")));
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await http.GetAsync(new Uri(url, "/api/sweeps"))).StatusCode);

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) kill.WaitForExit();
            Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)), "serve did not stop on SIGTERM");
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }
}
