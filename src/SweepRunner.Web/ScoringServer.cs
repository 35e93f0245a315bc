using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SweepRunner.Core.Results;
using SweepRunner.Web.Api;
using SweepRunner.Web.Security;
using SweepRunner.Web.Static;

namespace SweepRunner.Web;

/// <summary>
/// The scoring page: a Kestrel server with the page's embedded files, its JSON API and the preview images of
/// one results folder. Images are served by preview id only, from the path the store recorded, and only when
/// that path resolves inside the results folder.
/// </summary>
public sealed class ScoringServer : IAsyncDisposable
{
    private const string TokenPlaceholder = "{{TOKEN_QUERY}}";

    private readonly WebApplication _app;

    private ScoringServer(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>The address the server listens on (with the port it got when asked for port 0).</summary>
    public Uri Url { get; }

    /// <summary>Starts listening, serving <paramref name="store"/>.</summary>
    /// <exception cref="ArgumentException">The options are not usable (see <see cref="ScoringServerOptions.Problem"/>).</exception>
    public static async Task<ScoringServer> StartAsync(ScoringServerOptions options, IScoringStore store, CancellationToken cancellationToken = default)
    {
        if (options.Problem() is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        var assets = new StaticAssets();

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(ScoringServer).Assembly.GetName().Name });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(options.BindAddress!, options.Port));
        builder.Services.AddRoutingCore();
        var app = builder.Build();

        app.Use(async (context, next) =>
        {
            if (RequestPathCheck.IsSuspicious(RequestPathCheck.RawTarget(context)))
            {
                await PlainAsync(context, StatusCodes.Status400BadRequest, "refused: the path climbs out of its folder ('..', '.' or '\\')");
                return;
            }

            if (!TokenCheck.Allows(context.Request, options.Token))
            {
                await PlainAsync(context, StatusCodes.Status401Unauthorized,
                    "this scoring page needs its token: open the address 'sweeprunner serve' printed, which ends in ?token=…");
                return;
            }

            context.Response.Headers.CacheControl = "no-store";
            context.Response.Headers["X-Content-Type-Options"] = "nosniff";
            await next(context);
        });

        app.MapGet("/", (HttpContext context) => IndexPage(assets, options.Token));
        app.MapGet("/static/{name}", (string name) =>
            assets.Find(name) is { } asset && name != "index.html"
                ? Results.Bytes(asset.Content, asset.ContentType)
                : Results.NotFound());
        app.MapGet("/images/{previewId:long}", (long previewId, CancellationToken token) => ImageAsync(store, previewId, token));
        new ScoringApi(store).Map(app);

        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("Kestrel started without reporting its address");
        return new ScoringServer(app, new Uri(address));
    }

    /// <summary>The address to open in a browser: <see cref="Url"/> with the token, when there is one.</summary>
    public static Uri PageUrl(Uri url, string? token) =>
        token is null ? url : new Uri(url, "/?token=" + Uri.EscapeDataString(token));

    public async Task StopAsync(CancellationToken cancellationToken = default) => await _app.StopAsync(cancellationToken);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private static IResult IndexPage(StaticAssets assets, string? token)
    {
        var page = assets.Find("index.html") ?? throw new InvalidOperationException("the page (wwwroot/index.html) is not embedded in SweepRunner.Web");
        var tokenQuery = token is null ? "" : "?token=" + Uri.EscapeDataString(token);
        var html = Encoding.UTF8.GetString(page.Content).Replace(TokenPlaceholder, tokenQuery, StringComparison.Ordinal);
        return Results.Content(html, page.ContentType);
    }

    private static async Task<IResult> ImageAsync(IScoringStore store, long previewId, CancellationToken cancellationToken)
    {
        StoredPreview? preview;
        try
        {
            preview = await store.FindPreviewAsync(previewId, cancellationToken);
        }
        catch (ArgumentException)
        {
            // The recorded path is not a clean relative path (a hand-edited database): serve nothing.
            return Results.NotFound();
        }

        if (preview is null)
        {
            return Results.NotFound();
        }

        var contentType = Path.GetExtension(preview.Image.File.RelativePath).ToLowerInvariant() switch
        {
            ".png" => "image/png",
            ".jpg" or ".jpeg" => "image/jpeg",
            ".webp" => "image/webp",
            _ => null,
        };
        var fullPath = Path.GetFullPath(Path.Combine(store.ResultsFolder, preview.Image.File.RelativePath));
        if (contentType is null || !RequestPathCheck.IsInside(store.ResultsFolder, fullPath) || !File.Exists(fullPath))
        {
            return Results.NotFound();
        }

        // A link inside the results folder must not lead out of it either.
        if (new FileInfo(fullPath).ResolveLinkTarget(returnFinalTarget: true) is { } target && !RequestPathCheck.IsInside(store.ResultsFolder, target.FullName))
        {
            return Results.NotFound();
        }

        return Results.File(fullPath, contentType);
    }

    private static async Task PlainAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(message + "\n");
    }
}
