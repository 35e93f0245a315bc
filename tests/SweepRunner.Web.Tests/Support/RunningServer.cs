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

    public static Task<RunningServer> StartAsync(string? token = null) => StartAsync(new ScoringServerOptions() { Token = token });

    /// <summary>Starts with <paramref name="options"/> on a free port.</summary>
    public static async Task<RunningServer> StartAsync(ScoringServerOptions options)
    {
        var results = await ScoringResults.CreateAsync();
        try
        {
            var server = await ScoringServer.StartAsync(options with { Port = 0 }, results.Store);
            return new RunningServer(results, server, options.Token);
        }
        catch
        {
            await results.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
        await Results.DisposeAsync();
    }
}
