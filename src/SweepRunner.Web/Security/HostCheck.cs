using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;

namespace SweepRunner.Web.Security;

/// <summary>
/// Refuses requests whose <c>Host</c> header names a host the page does not answer to. A website that points a
/// name of its own at 127.0.0.1 (DNS rebinding) makes the browser send that name; only loopback names
/// (<c>localhost</c>, 127.x.x.x, <c>[::1]</c>), the bound address, any IP address when bound to all addresses,
/// and the names given with <c>--allow-host</c> are accepted. The port in the header is not compared.
/// </summary>
internal sealed class HostCheck
{
    private readonly IPAddress _bound;
    private readonly HashSet<string> _allowedNames;

    public HostCheck(IPAddress bound, IEnumerable<string> allowedNames)
    {
        _bound = Normalize(bound);
        _allowedNames = new HashSet<string>(allowedNames.Select(Canonical), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The accepted host names, in words, for the refusal message.</summary>
    public string Accepted
    {
        get
        {
            var names = new List<string> { "localhost", "127.0.0.1 (or any 127.x.x.x)", "[::1]" };
            if (_bound.Equals(IPAddress.Any) || _bound.Equals(IPAddress.IPv6Any))
            {
                names.Add("any IP address of this machine");
            }
            else if (!IPAddress.IsLoopback(_bound))
            {
                names.Add(Literal(_bound));
            }

            names.AddRange(_allowedNames.Order(StringComparer.OrdinalIgnoreCase));
            return string.Join(", ", names);
        }
    }

    public bool Allows(HostString host)
    {
        if (!host.HasValue || host.Host.Length == 0)
        {
            return false;
        }

        // "name." is the same name to DNS.
        var name = host.Host.EndsWith('.') ? host.Host[..^1] : host.Host;
        if (string.Equals(name, "localhost", StringComparison.OrdinalIgnoreCase) || _allowedNames.Contains(name))
        {
            return true;
        }

        if (ParseLiteral(name) is not { } address)
        {
            return false;
        }

        return IPAddress.IsLoopback(address)
            || address.Equals(_bound)
            || _bound.Equals(IPAddress.Any) || _bound.Equals(IPAddress.IPv6Any)
            || _allowedNames.Contains(Literal(address));
    }

    /// <summary>The address as a Host header names it: IPv6 in brackets.</summary>
    public static string Literal(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? "[" + address + "]" : address.ToString();

    /// <summary>An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is that IPv4 address.</summary>
    public static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    /// <summary>Why <paramref name="name"/> cannot be given to <c>--allow-host</c>; null when it can.</summary>
    public static string? NameProblem(string name)
    {
        const string Example = "give a host name such as scoring.lan or an IP address, without scheme, port or path";
        if (name.Contains("://", StringComparison.Ordinal) || name.Contains('/', StringComparison.Ordinal))
        {
            return $"not a host name; {Example}";
        }

        if (ParseLiteral(name) is not null || (IPAddress.TryParse(name, out var bare) && bare.AddressFamily == AddressFamily.InterNetworkV6))
        {
            return null;
        }

        if (name.Contains(':', StringComparison.Ordinal))
        {
            return $"a port does not belong in a host name (every port of the name is accepted); {Example}";
        }

        var labels = name.TrimEnd('.').Split('.');
        var valid = name.Length is > 0 and <= 253
            && labels.All(label => label.Length is > 0 and <= 63
                && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
                && label[0] != '-' && label[^1] != '-');
        return valid ? null : $"not a host name (letters, digits, '-' and '.' only); {Example}";
    }

    /// <summary>
    /// An IP address as it can stand in a Host header: dotted-decimal IPv4, or IPv6 in brackets; null for a name.
    /// Browsers send IP addresses in these forms only, and a name in any other form is a DNS name.
    /// </summary>
    private static IPAddress? ParseLiteral(string name)
    {
        if (name.StartsWith('[') && name.EndsWith(']'))
        {
            return IPAddress.TryParse(name[1..^1], out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6 ? Normalize(v6) : null;
        }

        var parts = name.Split('.');
        return parts.Length == 4
            && parts.All(part => part.Length is > 0 and <= 3 && part.All(char.IsAsciiDigit) && int.Parse(part, CultureInfo.InvariantCulture) <= 255)
            && IPAddress.TryParse(name, out var v4)
            ? v4
            : null;
    }

    /// <summary>How an allowed name is compared: IP addresses in their literal form, names as given without a trailing dot.</summary>
    private static string Canonical(string name) =>
        ParseLiteral(name) is { } literal ? Literal(literal)
        : IPAddress.TryParse(name, out var bare) && bare.AddressFamily == AddressFamily.InterNetworkV6 ? Literal(Normalize(bare))
        : name.TrimEnd('.');
}
