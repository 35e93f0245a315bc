using System.Diagnostics;
using SweepRunner.Cli.Tests.Support;

namespace SweepRunner.Cli.Tests.Commands;

/// <summary>serve: refuses an open address without a token, serves a results folder, stops on SIGTERM.</summary>
public class ServeCommandTests : IDisposable
{
    readonly string _results = Directory.CreateTempSubdirectory("sweeprunner-serve-").FullName;

    public void Dispose() => Directory.Delete(_results, recursive: true);

    static void AssertStopsCleanlyOnSigterm(Process process)
    {
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) kill.WaitForExit();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)), "serve did not stop on SIGTERM");
        Assert.Equal(0, process.ExitCode);
    }

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
            using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await http.GetAsync(new Uri(url, "/api/sweeps"))).StatusCode);

            // The printed address signs the browser in with a cookie and sends it on without the token.
            var first = await http.GetAsync(url);
            Assert.Equal(System.Net.HttpStatusCode.SeeOther, first.StatusCode);
            Assert.Equal("/", first.Headers.Location?.OriginalString);
            using var withCookie = new HttpRequestMessage(HttpMethod.Get, new Uri(url, "/api/sweeps"));
            withCookie.Headers.Add("Cookie", first.Headers.GetValues("Set-Cookie").Single().Split(';')[0]);
            Assert.Contains("quickstart", await (await http.SendAsync(withCookie)).Content.ReadAsStringAsync());

            // A site that points its own name at this machine is refused, even with the token.
            using var rebound = new HttpRequestMessage(HttpMethod.Get, new Uri(url, "/api/sweeps"));
            rebound.Headers.Host = "attacker.example";
            rebound.Headers.Add("X-SweepRunner-Token", "cli-test-token");
            var refused = await http.SendAsync(rebound);
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("--allow-host", await refused.Content.ReadAsStringAsync());

            AssertStopsCleanlyOnSigterm(process);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task AnIpv4MappedLoopbackAddressServesOnItsIpv4Address()
    {
        Assert.Equal(0, CliProcess.Run(CliProcess.RepoRoot, "plan", "sweeps/quickstart.yaml", "--save", "--results", _results).ExitCode);
        using var process = Process.Start(CliProcess.StartInfo(CliProcess.RepoRoot, null, "serve", "--address", "::ffff:127.0.0.1", "--port", "0", "--results", _results))!;
        try
        {
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.StartsWith("Scoring page: http://127.0.0.1:", line);
            using var http = new HttpClient();
            Assert.Contains("quickstart", await http.GetStringAsync(new Uri(new Uri(line!["Scoring page: ".Length..]), "/api/sweeps")));

            AssertStopsCleanlyOnSigterm(process);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public void APortInUseIsOneLineOfErrorAndExitCode1()
    {
        Assert.Equal(0, CliProcess.Run(CliProcess.RepoRoot, "plan", "sweeps/quickstart.yaml", "--save", "--results", _results).ExitCode);
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var result = CliProcess.Run(CliProcess.RepoRoot, "serve", "--port", port, "--results", _results);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            $"error: cannot listen on 127.0.0.1:{port}: the port is in use (by another program, or another 'sweeprunner serve'); choose another --port (0 picks a free one)",
            result.Error.Trim());
    }

    [Fact]
    public void AllowHostWithoutATokenIsAUsageError()
    {
        var result = CliProcess.Run(CliProcess.RepoRoot, "serve", "--allow-host", "scoring.lan", "--results", _results);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--allow-host needs --token", result.Error);
        Assert.DoesNotContain("   at ", result.Error);
    }

    [Fact]
    public void AnAllowHostWithAPortIsAUsageError()
    {
        var result = CliProcess.Run(CliProcess.RepoRoot, "serve", "--token", "cli-test-token", "--allow-host", "scoring.lan:8080", "--results", _results);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--allow-host 'scoring.lan:8080': a port does not belong", result.Error);
    }
}
