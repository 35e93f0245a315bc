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

    [Theory]
    [InlineData("/?token=" + Token, "/")]
    [InlineData("/?token=" + Token + "&sweep=demo", "/?sweep=demo")]
    [InlineData("/api/sweeps/demo/gallery?scorer=al%20ice&token=" + Token + "&token=" + Token, "/api/sweeps/demo/gallery?scorer=al%20ice")]
    [InlineData("/static/app.js?token=" + Token, "/static/app.js")]
    public async Task A_valid_token_in_the_query_sets_a_strict_http_only_cookie_and_redirects_to_the_address_without_it(string target, string location)
    {
        await using var running = await RunningServer.StartAsync(Token);
        using var http = NoRedirects(running);

        var response = await http.GetAsync(target);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal(location, response.Headers.Location?.OriginalString);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith($"sweeprunner-token-{running.Server.Url.Port}={Token};", cookie, StringComparison.Ordinal);
        Assert.Contains("path=/", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Led_here_by_another_site_the_cookie_is_set_and_a_page_of_this_server_goes_on_without_the_token()
    {
        await using var running = await RunningServer.StartAsync(Token);
        using var http = NoRedirects(running);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/?token=" + Token + "&a=1%22%3C");
        request.Headers.Add("Sec-Fetch-Site", "cross-site");

        var response = await http.SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith($"sweeprunner-token-{running.Server.Url.Port}={Token};", Assert.Single(response.Headers.GetValues("Set-Cookie")), StringComparison.Ordinal);
        Assert.Contains("location.replace(\"/?a=1%22%3C\" + location.hash)", html, StringComparison.Ordinal);
        Assert.Contains("content=\"0;url=/?a=1%22%3C\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_redirect_never_leads_to_another_host()
    {
        await using var running = await RunningServer.StartAsync(Token);

        var (status, head, _) = await RawHttp.ExchangeAsync(running.Server.Url, "GET", "//attacker.example/?token=" + Token, host: null, token: null, jsonBody: null);

        Assert.Equal(303, status);
        Assert.Contains("\r\nLocation: /attacker.example/\r\n", head, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/api/sweeps")]
    [InlineData("/static/app.css")]
    [InlineData("/images/1")]
    public async Task The_cookie_alone_is_enough_and_a_wrong_cookie_is_refused(string path)
    {
        await using var running = await RunningServer.StartAsync(Token);
        using var http = NoRedirects(running);
        var name = $"sweeprunner-token-{running.Server.Url.Port}";

        var right = await SendWithCookieAsync(http, path, $"{name}={Token}");
        var wrong = await SendWithCookieAsync(http, path, $"{name}=not-the-token");
        var otherServer = await SendWithCookieAsync(http, path, $"sweeprunner-token-1={Token}");

        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, otherServer.StatusCode);
    }

    [Fact]
    public async Task A_token_with_cookie_unsafe_characters_survives_the_cookie()
    {
        const string odd = "a;b=c,d\"e%f+g";
        await using var running = await RunningServer.StartAsync(odd);
        using var http = NoRedirects(running);

        var first = await http.GetAsync("/?token=" + Uri.EscapeDataString(odd));
        var cookie = Assert.Single(first.Headers.GetValues("Set-Cookie")).Split(';')[0];
        var next = await SendWithCookieAsync(http, "/api/sweeps", cookie);

        Assert.Equal(HttpStatusCode.SeeOther, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task A_script_posting_with_the_token_in_the_query_is_served_not_redirected()
    {
        await using var running = await RunningServer.StartAsync(Token);
        using var http = NoRedirects(running);
        var id = running.Results.PreviewIds["base"][0];

        var response = await http.PostAsync("/api/sweeps/demo/scores?token=" + Token, JsonBody.Of(new { previewId = id, scorer = "script", value = 40, blind = false }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(running.Results.Query<long>("SELECT id FROM scores;"));
    }

    [Fact]
    public async Task The_page_does_not_carry_the_token_to_its_script_and_style()
    {
        await using var running = await RunningServer.StartAsync(Token);

        var html = await running.Http.GetStringAsync("/?token=" + Token);

        Assert.Contains("/static/app.js\"", html, StringComparison.Ordinal);
        Assert.Contains("/static/app.css\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, html, StringComparison.Ordinal);
        Assert.DoesNotContain("token=", await running.Http.GetStringAsync("/static/app.js"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_token_set_the_page_needs_none()
    {
        await using var running = await RunningServer.StartAsync();

        var html = await running.Http.GetStringAsync("/");

        Assert.Contains("/static/app.js\"", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await running.Http.GetAsync("/api/sweeps")).StatusCode);
    }

    private static HttpClient NoRedirects(RunningServer running) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = running.Server.Url };

    private static async Task<HttpResponseMessage> SendWithCookieAsync(HttpClient http, string path, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", cookie);
        return await http.SendAsync(request);
    }
}
