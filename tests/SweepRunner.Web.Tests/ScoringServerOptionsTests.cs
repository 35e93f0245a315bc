namespace SweepRunner.Web.Tests;

public sealed class ScoringServerOptionsTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("localhost")]
    public void Loopback_addresses_need_no_token(string address) =>
        Assert.Null(new ScoringServerOptions() { Address = address }.Problem());

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("192.168.1.20")]
    [InlineData("::")]
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
}
