using System.Net.Sockets;
using System.Text;

namespace SweepRunner.Web.Tests.Support;

/// <summary>Sends a request target exactly as written (HttpClient would resolve '..' before sending it).</summary>
public static class RawHttp
{
    public static async Task<(int Status, string Body)> GetAsync(Uri server, string target, string? token = null)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        await using var stream = client.GetStream();
        var tokenHeader = token is null ? "" : $"X-SweepRunner-Token: {token}\r\n";
        var request = $"GET {target} HTTP/1.1\r\nHost: {server.Authority}\r\n{tokenHeader}Connection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.Latin1);
        var response = await reader.ReadToEndAsync();
        var statusLine = response.Split("\r\n", 2)[0];
        var status = int.Parse(statusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var bodyStart = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return (status, bodyStart < 0 ? "" : response[(bodyStart + 4)..]);
    }
}
