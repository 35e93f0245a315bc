using System.Net;
using System.Net.Sockets;
using SweepRunner.Web.Tests.Support;

namespace SweepRunner.Web.Tests;

public sealed class ScoringServerOptionsTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("localhost")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:127.3.4.5")]
    public void Loopback_addresses_need_no_token(string address) =>
        Assert.Null(new ScoringServerOptions() { Address = address }.Problem());

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("192.168.1.20")]
    [InlineData("::")]
    [InlineData("::ffff:192.168.1.20")]
    public void Other_addresses_need_a_token(string address)
    {
        var problem = new ScoringServerOptions() { Address = address }.Problem();

        Assert.NotNull(problem);
        Assert.Contains("--token", problem, StringComparison.Ordinal);
        Assert.Null(new ScoringServerOptions() { Address = address, Token = "long-enough-token" }.Problem());
    }

    [Fact]
    public void Names_ports_and_short_tokens_are_refused()
    {
        Assert.Contains("not an IP address", new ScoringServerOptions() { Address = "example.org" }.Problem(), StringComparison.Ordinal);
        Assert.Contains("--port", new ScoringServerOptions() { Port = 70000 }.Problem(), StringComparison.Ordinal);
        Assert.Contains("at least 8", new ScoringServerOptions() { Token = "short" }.Problem(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Starting_with_unusable_options_throws_before_listening()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => ScoringServer.StartAsync(new ScoringServerOptions() { Address = "0.0.0.0" }, null!));

        Assert.Contains("--token", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_ipv4_mapped_loopback_address_listens_on_its_ipv4_address()
    {
        await using var running = await RunningServer.StartAsync(new ScoringServerOptions { Address = "::ffff:127.0.0.1" });

        Assert.Equal("127.0.0.1", running.Server.Url.Host);
        Assert.Contains("demo", await running.Http.GetStringAsync("/api/sweeps"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_in_use_is_a_bind_error_that_says_what_to_do()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        await using var results = await ScoringResults.CreateAsync();

        var error = await Assert.ThrowsAsync<ScoringServerBindException>(() => ScoringServer.StartAsync(new ScoringServerOptions { Port = port }, results.Store));

        Assert.Equal($"cannot listen on 127.0.0.1:{port}: the port is in use (by another program, or another 'sweeprunner serve'); choose another --port (0 picks a free one)", error.Message);
    }
}
