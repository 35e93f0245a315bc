using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace SweepRunner.Web.Security;

/// <summary>Refuses (401) every request that does not carry the server's token, when one is set.</summary>
internal static class TokenCheck
{
    public const string HeaderName = "X-SweepRunner-Token";
    public const string QueryName = "token";

    public static bool Allows(HttpRequest request, string? token)
    {
        if (token is null)
        {
            return true;
        }

        var given = request.Headers[HeaderName].FirstOrDefault() ?? request.Query[QueryName].FirstOrDefault();
        return given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(token));
    }
}
