namespace SweepRunner.Web.Tests.Support;

/// <summary>A scoring server on a free port over a populated results folder; disposes both.</summary>
public sealed class RunningServer : IAsyncDisposable
{
    private RunningServer(ScoringResults results, ScoringServer server, string? token)
    {
        Results = results;
        Server = server;
        Token = token;
        Http = new HttpClient { BaseAddress = server.Url, Timeout = TimeSpan.FromSeconds(30) };
    }

    public ScoringResults Results { get; }

    public ScoringServer Server { get; }

    public string? Token { get; }

    public HttpClient Http { get; }

    /// <summary>The page's address, with the token when there is one.</summary>
    public string PageUrl => ScoringServer.PageUrl(Server.Url, Token).ToString();

    public static async Task<RunningServer> StartAsync(string? token = null)
    {
        var results = await ScoringResults.CreateAsync();
        var server = await ScoringServer.StartAsync(new ScoringServerOptions() { Port = 0, Token = token }, results.Store);
        return new RunningServer(results, server, token);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
        await Results.DisposeAsync();
    }
}
