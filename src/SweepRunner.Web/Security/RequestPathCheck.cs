using Microsoft.AspNetCore.Http;

namespace SweepRunner.Web.Security;

/// <summary>
/// Refuses request targets that try to climb out of a folder: <c>..</c> segments, in any percent-encoding,
/// and backslashes. Kestrel already removes dot segments before routing; this refuses them outright,
/// so that no route ever sees one.
/// </summary>
internal static class RequestPathCheck
{
    public static bool IsSuspicious(string rawTarget)
    {
        var path = rawTarget;
        var query = path.IndexOf('?', StringComparison.Ordinal);
        if (query >= 0)
        {
            path = path[..query];
        }

        // Decode twice so that %252e%252e (double encoding) is caught as well.
        var decoded = Uri.UnescapeDataString(Uri.UnescapeDataString(path));
        if (decoded.Contains('\\', StringComparison.Ordinal) || decoded.Contains('\0', StringComparison.Ordinal))
        {
            return true;
        }

        return decoded.Split('/').Any(segment => segment is ".." or ".");
    }

    /// <summary>True when <paramref name="fullPath"/> lies inside <paramref name="folder"/> (both full paths).</summary>
    public static bool IsInside(string folder, string fullPath)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)) + Path.DirectorySeparatorChar;
        return Path.GetFullPath(fullPath).StartsWith(root, StringComparison.Ordinal);
    }

    public static string RawTarget(HttpContext context) =>
        context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "/";
}
