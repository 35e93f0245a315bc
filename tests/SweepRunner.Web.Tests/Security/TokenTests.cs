using System.Net;
using SweepRunner.Web.Tests.Support;

namespace SweepRunner.Web.Tests.Security;

public sealed class TokenTests
{
    private const string Token = "s3cret-token-for-tests";

    [Theory]
    [InlineData("/")]
    [InlineData("/api/sweeps")]
    [InlineData("/api/sweeps/demo/gallery")]
    [InlineData("/static/app.js")]
    [InlineData("/images/1")]
    public async Task Without_the_token_every_request_is_refused_with_401(string path)
    {
        await using var running = await RunningServer.StartAsync(Token);

        var none = await running.Http.GetAsync(path);
        var wrong = await running.Http.GetAsync(path + "?token=not-the-token");

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("token", await none.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/api/sweeps")]
    [InlineData("/static/app.js")]
    [InlineData("/images/1")]
    public async Task With_the_token_in_the_query_or_the_header_requests_are_served(string path)
    {
        await using var running = await RunningServer.StartAsync(Token);

        var query = await running.Http.GetAsync(path + "?token=" + Token);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-SweepRunner-Token", Token);
        var header = await running.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, query.StatusCode);
        Assert.Equal(HttpStatusCode.OK, header.StatusCode);
    }

    [Fact]
    public async Task A_post_without_the_token_saves_nothing()
    {
        await using var running = await RunningServer.StartAsync(Token);
        var id = running.Results.PreviewIds["base"][0];

        var response = await running.Http.PostAsync("/api/sweeps/demo/scores", JsonBody.Of(new { previewId = id, scorer = "mallory", value = 0, blind = false }));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(running.Results.Query<long>("SELECT id FROM scores;"));
    }

    [Fact]
    public async Task The_page_carries_the_token_to_its_script_and_style()
    {
        await using var running = await RunningServer.StartAsync(Token);

        var html = await running.Http.GetStringAsync("/?token=" + Token);

        Assert.Contains($"/static/app.js?token={Token}", html, StringComparison.Ordinal);
        Assert.Contains($"/static/app.css?token={Token}", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_token_set_the_page_needs_none()
    {
        await using var running = await RunningServer.StartAsync();

        var html = await running.Http.GetStringAsync("/");

        Assert.Contains("/static/app.js\"", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await running.Http.GetAsync("/api/sweeps")).StatusCode);
    }
}
