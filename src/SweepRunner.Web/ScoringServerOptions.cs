using System.Net;
using SweepRunner.Web.Security;

namespace SweepRunner.Web;

/// <summary>
/// Where the scoring page listens and what it serves. Any address other than a loopback one needs a
/// <see cref="Token"/>, which every request must then carry.
/// </summary>
public sealed record ScoringServerOptions
{
    public const string DefaultAddress = "127.0.0.1";
    public const int DefaultPort = 5180;

    /// <summary>An IP address, or <c>localhost</c>. An IPv4-mapped IPv6 address (<c>::ffff:127.0.0.1</c>) means its IPv4 address.</summary>
    public string Address { get; init; } = DefaultAddress;

    /// <summary>The TCP port; 0 picks a free one (see <see cref="ScoringServer.Url"/>).</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>When set, every request must carry it (once in the query <c>token</c>, then its cookie; or header <c>X-SweepRunner-Token</c>).</summary>
    public string? Token { get; init; }

    /// <summary>
    /// Host names the page answers to besides loopback ones and the bound address (see <see cref="HostCheck"/>);
    /// only with a <see cref="Token"/>.
    /// </summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];

    /// <summary>The address to bind, or null when <see cref="Address"/> is not an IP address or localhost.</summary>
    internal IPAddress? BindAddress =>
        string.Equals(Address, "localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback
        : IPAddress.TryParse(Address, out var address) ? HostCheck.Normalize(address)
        : null;

    /// <summary>What is wrong with these options, in words for the user; null when they can be used.</summary>
    public string? Problem()
    {
        if (BindAddress is not { } address)
        {
            return $"--address '{Address}' is not an IP address (for example 127.0.0.1, 0.0.0.0 or ::1) or localhost";
        }

        if (Port is < 0 or > 65535)
        {
            return $"--port must be between 0 and 65535, not {Port}";
        }

        if (Token is not null && (Token.Length < 8 || Token.Any(char.IsWhiteSpace)))
        {
            return "--token must be at least 8 characters without spaces";
        }

        if (!IPAddress.IsLoopback(address) && Token is null)
        {
            return $"--address {Address} lets other machines reach the scoring page; give a --token that every request must carry " +
                   "(a long random string), or keep the default address 127.0.0.1";
        }

        if (AllowedHosts.FirstOrDefault(name => HostCheck.NameProblem(name) is not null) is { } bad)
        {
            return $"--allow-host '{bad}': {HostCheck.NameProblem(bad)}";
        }

        if (AllowedHosts.Count > 0 && Token is null)
        {
            return "--allow-host needs --token: without a token the page answers only to localhost, 127.0.0.1 and [::1], " +
                   "so that no other website can reach it through a host name of its own (DNS rebinding); give a --token as well";
        }

        return null;
    }
}
