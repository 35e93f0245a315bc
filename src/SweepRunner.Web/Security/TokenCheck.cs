using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace SweepRunner.Web.Security;

/// <summary>
/// With a token set, every request must carry it: in the <see cref="HeaderName"/> header (scripts), in the
/// page's cookie, or once in the query (the address <c>serve</c> prints). A page request that brings it in the
/// query gets the cookie and is sent on to the same address without the token, so that the token stays out of
/// browser history, logs and the page's own image and API addresses.
/// </summary>
internal static class TokenCheck
{
    public const string HeaderName = "X-SweepRunner-Token";
    public const string QueryName = "token";
    public const string CookiePrefix = "sweeprunner-token-";

    public enum Outcome
    {
        /// <summary>No token, or a wrong one: refuse.</summary>
        Refused,

        /// <summary>Serve the request.</summary>
        Allowed,

        /// <summary>The query carries the token: set the cookie and redirect to <see cref="WithoutToken"/>.</summary>
        SetCookie,
    }

    /// <summary>
    /// The cookie's name. Cookies do not tell ports apart, so two servers on one machine (with different tokens)
    /// each have their own.
    /// </summary>
    public static string CookieName(int port) => CookiePrefix + port.ToString(CultureInfo.InvariantCulture);

    public static Outcome Check(HttpContext context, string? token)
    {
        if (token is null)
        {
            return Outcome.Allowed;
        }

        var request = context.Request;
        if (Matches(request.Headers[HeaderName].FirstOrDefault(), token)
            || Matches(request.Cookies[CookieName(context.Connection.LocalPort)], token))
        {
            return Outcome.Allowed;
        }

        if (!Matches(request.Query[QueryName].FirstOrDefault(), token))
        {
            return Outcome.Refused;
        }

        // A script that posts with ?token= is served as it asked; only what a browser opens is redirected.
        return HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) ? Outcome.SetCookie : Outcome.Allowed;
    }

    public static CookieOptions CookieOptions => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Path = "/",
        IsEssential = true,
    };

    /// <summary>The request's own path and query, less every <c>token</c> parameter: where the redirect goes.</summary>
    public static string WithoutToken(HttpRequest request)
    {
        // One leading slash: "//other.example/" would be an address on another host.
        var path = "/" + request.Path.ToUriComponent().TrimStart('/');
        var query = (request.QueryString.Value ?? "").TrimStart('?');
        var kept = query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(part => !string.Equals(ParameterName(part), QueryName, StringComparison.Ordinal))
            .ToList();
        return kept.Count == 0 ? path : path + "?" + string.Join('&', kept);
    }

    private static string ParameterName(string part)
    {
        var equals = part.IndexOf('=', StringComparison.Ordinal);
        return Uri.UnescapeDataString((equals < 0 ? part : part[..equals]).Replace('+', ' '));
    }

    private static bool Matches(string? given, string token) =>
        given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(token));
}
