using System.Net;
using System.Net.Sockets;
using System.Text.Json;
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
        var hosts = new HostCheck(options.BindAddress!, options.AllowedHosts);

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(ScoringServer).Assembly.GetName().Name });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(options.BindAddress!, options.Port));
        builder.Services.AddRoutingCore();
        var app = builder.Build();

        app.Use(async (context, next) =>
        {
            context.Response.Headers.CacheControl = "no-store";
            context.Response.Headers["X-Content-Type-Options"] = "nosniff";
            context.Response.Headers["Referrer-Policy"] = "no-referrer";

            if (!hosts.Allows(context.Request.Host))
            {
                await PlainAsync(context, StatusCodes.Status400BadRequest, HostRefusal(context.Request.Host, hosts, options.Token is not null));
                return;
            }

            if (RequestPathCheck.IsSuspicious(RequestPathCheck.RawTarget(context)))
            {
                await PlainAsync(context, StatusCodes.Status400BadRequest, "refused: the path climbs out of its folder ('..', '.' or '\\')");
                return;
            }

            switch (TokenCheck.Check(context, options.Token))
            {
                case TokenCheck.Outcome.Refused:
                    await PlainAsync(context, StatusCodes.Status401Unauthorized,
                        "this scoring page needs its token: open the address 'sweeprunner serve' printed, which ends in ?token=…; " +
                        "scripts send the X-SweepRunner-Token header");
                    return;
                case TokenCheck.Outcome.SetCookie:
                    context.Response.Cookies.Append(TokenCheck.CookieName(context.Connection.LocalPort), options.Token!, TokenCheck.CookieOptions);
                    await SignedInAsync(context, TokenCheck.WithoutToken(context.Request));
                    return;
            }

            await next(context);
        });

        app.MapGet("/", () => IndexPage(assets));
        app.MapGet("/static/{name}", (string name) =>
            assets.Find(name) is { } asset && name != "index.html"
                ? Results.Bytes(asset.Content, asset.ContentType)
                : Results.NotFound());
        app.MapGet("/images/{previewId:long}", (long previewId, CancellationToken token) => ImageAsync(store, previewId, token));
        var references = new ReferenceImages(store);
        app.MapGet("/references/{sweep}/{previewId:long}", (string sweep, long previewId, CancellationToken token) => ReferenceAsync(references, sweep, previewId, token));
        new ScoringApi(store, references).Map(app);

        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (Exception exception) when (BindProblem(exception) is { } bindProblem)
        {
            await app.DisposeAsync();
            throw new ScoringServerBindException($"cannot listen on {HostCheck.Literal(options.BindAddress!)}:{options.Port}: {bindProblem}", exception);
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("Kestrel started without reporting its address");
        return new ScoringServer(app, new Uri(address));
    }

    /// <summary>The address to open in a browser: <see cref="Url"/> with the token, when there is one.</summary>
    public static Uri PageUrl(Uri url, string? token) =>
        token is null ? url : new Uri(url, "/?token=" + Uri.EscapeDataString(token));

    public async Task StopAsync(CancellationToken cancellationToken = default) => await _app.StopAsync(cancellationToken);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private static IResult IndexPage(StaticAssets assets)
    {
        var page = assets.Find("index.html") ?? throw new InvalidOperationException("the page (wwwroot/index.html) is not embedded in SweepRunner.Web");
        return Results.Bytes(page.Content, page.ContentType);
    }

    private static string HostRefusal(HostString host, HostCheck hosts, bool hasToken)
    {
        var given = host.HasValue ? new string(host.Value.Take(100).Where(c => !char.IsControl(c)).ToArray()) : "";
        var how = hasToken
            ? "To open the page under another name, start 'sweeprunner serve' with --allow-host NAME (repeat it for several)."
            : "To open the page under another name, start 'sweeprunner serve' with --token TOKEN and --allow-host NAME.";
        return $"refused: this scoring page does not answer to the host name '{given}' (Host header). It accepts {hosts.Accepted}. {how}";
    }

    /// <summary>Why Kestrel could not listen, in words, when that is what <paramref name="exception"/> says; null otherwise.</summary>
    private static string? BindProblem(Exception exception)
    {
        const string OtherPort = "choose another --port (0 picks a free one)";
        for (var inner = (Exception?)exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is Microsoft.AspNetCore.Connections.AddressInUseException)
            {
                return $"the port is in use (by another program, or another 'sweeprunner serve'); {OtherPort}";
            }

            if (inner is SocketException socket)
            {
                return socket.SocketErrorCode switch
                {
                    SocketError.AddressAlreadyInUse => $"the port is in use (by another program, or another 'sweeprunner serve'); {OtherPort}",
                    SocketError.AddressNotAvailable => "this machine has no such address; give --address one of its own addresses, or 127.0.0.1",
                    SocketError.AccessDenied => $"permission denied (ports below 1024 usually need administrator rights); {OtherPort}",
                    SocketError.AddressFamilyNotSupported or SocketError.ProtocolNotSupported =>
                        "this machine does not support that kind of address (IPv6 or IPv4); give --address one of the other kind, such as 127.0.0.1",
                    _ => $"{socket.Message}; choose another --address or --port",
                };
            }
        }

        return exception is IOException io ? $"{io.Message}; choose another --address or --port" : null;
    }

    private static async Task<IResult> ReferenceAsync(ReferenceImages references, string sweep, long previewId, CancellationToken cancellationToken)
    {
        var path = await references.FindAsync(sweep, previewId, cancellationToken);
        return path is not null && ContentTypeOfImage(path) is { } contentType && File.Exists(path)
            ? Results.File(path, contentType)
            : Results.NotFound();
    }

    private static string? ContentTypeOfImage(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".png" => "image/png",
        ".jpg" or ".jpeg" => "image/jpeg",
        ".webp" => "image/webp",
        _ => null,
    };

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

        var contentType = ContentTypeOfImage(preview.Image.File.RelativePath);
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

    /// <summary>
    /// Sends the browser on to <paramref name="target"/>, the address without the token: a 303 redirect, except
    /// when a link on another website led here. A browser does not send a SameSite=Strict cookie on a redirect that
    /// another site started (nor on reloading its result), so then a page of this server makes the step: its own
    /// navigation is same-site, and it replaces the address with the token in the history.
    /// </summary>
    private static async Task SignedInAsync(HttpContext context, string target)
    {
        if (!string.Equals(context.Request.Headers["Sec-Fetch-Site"].FirstOrDefault(), "cross-site", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.Headers.Location = target;
            await PlainAsync(context, StatusCodes.Status303SeeOther, "signed in: the token is kept in a cookie; go on to the same address without it");
            return;
        }

        var href = WebUtility.HtmlEncode(target);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync(
            "<!doctype html>\n<meta charset=\"utf-8\"><title>SweepRunner scoring</title>\n" +
            $"<meta http-equiv=\"refresh\" content=\"0;url={href}\">\n" +
            $"<script>location.replace({JsonSerializer.Serialize(target)} + location.hash);</script>\n" +
            $"<p>Signed in. <a href=\"{href}\">Go on to the scoring page</a>.</p>\n");
    }

    private static async Task PlainAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(message + "\n");
    }
}
