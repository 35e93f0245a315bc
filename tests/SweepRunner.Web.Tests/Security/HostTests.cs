using System.Net;
using Microsoft.AspNetCore.Http;
using SweepRunner.Web.Security;
using SweepRunner.Web.Tests.Support;

namespace SweepRunner.Web.Tests.Security;

/// <summary>
/// The Host check against DNS rebinding: a website that points a name of its own at 127.0.0.1 makes the browser
/// send that name in the Host header, and must get nothing back and write nothing.
/// </summary>
public sealed class HostTests
{
    private const string Token = "host-test-token";

    [Fact]
    public async Task Without_a_token_a_foreign_host_name_can_neither_read_nor_write()
    {
        await using var running = await RunningServer.StartAsync();
        var id = running.Results.PreviewIds["base"][0];
        var score = $$"""{"previewId":{{id}},"scorer":"x","value":5}""";

        var write = await RawHttp.SendAsync(running.Server.Url, "POST", "/api/sweeps/demo/scores", "attacker.example", token: null, score);
        var read = await RawHttp.SendAsync(running.Server.Url, "GET", "/api/sweeps", $"attacker.example:{running.Server.Url.Port}", token: null, jsonBody: null);
        var image = await RawHttp.SendAsync(running.Server.Url, "GET", $"/images/{id}", "attacker.example", token: null, jsonBody: null);

        Assert.Equal(400, write.Status);
        Assert.Equal(400, read.Status);
        Assert.Equal(400, image.Status);
        Assert.Contains("'attacker.example'", write.Body, StringComparison.Ordinal);
        Assert.Contains("localhost, 127.0.0.1", write.Body, StringComparison.Ordinal);
        Assert.Contains("--allow-host", write.Body, StringComparison.Ordinal);
        Assert.Contains("--token", write.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("demo", read.Body, StringComparison.Ordinal);
        Assert.Empty(running.Results.Query<long>("SELECT id FROM scores;"));
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("LocalHost:{port}")]
    [InlineData("localhost.")]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:{port}")]
    [InlineData("127.12.0.9:{port}")]
    [InlineData("[::1]")]
    [InlineData("[::1]:{port}")]
    [InlineData("[::ffff:127.0.0.1]:{port}")]
    public async Task Loopback_host_names_with_or_without_the_port_are_served(string host)
    {
        await using var running = await RunningServer.StartAsync();

        var (status, body) = await RawHttp.SendAsync(running.Server.Url, "GET", "/api/sweeps", host.Replace("{port}", running.Server.Url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal), token: null, jsonBody: null);

        Assert.Equal(200, status);
        Assert.Contains("demo", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1.attacker.example")]
    [InlineData("localhost.attacker.example")]
    [InlineData("attacker-localhost")]
    [InlineData("0x7f.0.0.1.example")]
    public async Task Names_that_only_look_like_loopback_are_refused(string host)
    {
        await using var running = await RunningServer.StartAsync();

        var (status, _) = await RawHttp.SendAsync(running.Server.Url, "GET", "/api/sweeps", host, token: null, jsonBody: null);

        Assert.Equal(400, status);
    }

    [Fact]
    public async Task With_a_token_the_allowed_host_names_are_served_and_others_are_refused_with_the_list()
    {
        await using var running = await RunningServer.StartAsync(new ScoringServerOptions { Token = Token, AllowedHosts = ["scoring.lan", "Box.Example."] });

        var allowed = await RawHttp.SendAsync(running.Server.Url, "GET", "/api/sweeps", "scoring.lan:5180", Token, jsonBody: null);
        var otherCase = await RawHttp.SendAsync(running.Server.Url, "GET", "/api/sweeps", "box.example", Token, jsonBody: null);
        var other = await RawHttp.SendAsync(running.Server.Url, "GET", "/api/sweeps", "other.lan", Token, jsonBody: null);

        Assert.Equal(200, allowed.Status);
        Assert.Equal(200, otherCase.Status);
        Assert.Equal(400, other.Status);
        Assert.Contains("scoring.lan", other.Body, StringComparison.Ordinal);
        Assert.Contains("--allow-host NAME", other.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_host_is_checked_before_the_token_so_a_foreign_name_learns_nothing_else()
    {
        await using var running = await RunningServer.StartAsync(Token);

        var (status, body) = await RawHttp.SendAsync(running.Server.Url, "GET", "/api/sweeps", "attacker.example", Token, jsonBody: null);

        Assert.Equal(400, status);
        Assert.DoesNotContain("demo", body, StringComparison.Ordinal);
    }

    // The check itself, for bound addresses the tests do not listen on (nothing is sent anywhere).
    [Theory]
    [InlineData("192.0.2.10", "192.0.2.10", true)]
    [InlineData("192.0.2.10", "192.0.2.10:5180", true)]
    [InlineData("192.0.2.10", "192.0.2.11", false)]
    [InlineData("192.0.2.10", "127.0.0.1:5180", true)]
    [InlineData("192.0.2.10", "rebound.example", false)]
    [InlineData("2001:db8::10", "[2001:db8::10]:5180", true)]
    [InlineData("2001:db8::10", "[2001:db8::11]", false)]
    [InlineData("0.0.0.0", "192.0.2.10:5180", true)]
    [InlineData("0.0.0.0", "[2001:db8::10]", true)]
    [InlineData("0.0.0.0", "rebound.example", false)]
    [InlineData("::", "192.0.2.10", true)]
    [InlineData("::", "rebound.example:5180", false)]
    [InlineData("127.0.0.1", "", false)]
    public void A_non_loopback_bound_address_is_accepted_as_a_host_and_all_addresses_accept_any_ip(string bound, string host, bool allowed) =>
        Assert.Equal(allowed, new HostCheck(IPAddress.Parse(bound), []).Allows(new HostString(host)));

    [Theory]
    [InlineData("http://scoring.lan")]
    [InlineData("scoring.lan:8080")]
    [InlineData("scoring lan")]
    [InlineData("*.lan")]
    [InlineData("-scoring.lan")]
    [InlineData("")]
    public void Allowed_host_names_must_be_plain_host_names(string name)
    {
        var problem = new ScoringServerOptions { Token = Token, AllowedHosts = [name] }.Problem();

        Assert.NotNull(problem);
        Assert.StartsWith($"--allow-host '{name}'", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Allowed_host_names_need_a_token()
    {
        var problem = new ScoringServerOptions { AllowedHosts = ["scoring.lan"] }.Problem();

        Assert.NotNull(problem);
        Assert.Contains("--allow-host needs --token", problem, StringComparison.Ordinal);
        Assert.Null(new ScoringServerOptions { Token = Token, AllowedHosts = ["scoring.lan", "192.0.2.10", "[2001:db8::10]", "2001:db8::11"] }.Problem());
    }
}
