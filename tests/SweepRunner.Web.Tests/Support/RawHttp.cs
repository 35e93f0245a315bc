using System.Net.Sockets;
using System.Text;

namespace SweepRunner.Web.Tests.Support;

/// <summary>
/// Sends a request exactly as written: the target as given (HttpClient would resolve '..' before sending it)
/// and any Host header (as a browser sends the name of a site that points its DNS name at this machine).
/// </summary>
public static class RawHttp
{
    public static Task<(int Status, string Body)> GetAsync(Uri server, string target, string? token = null) =>
        SendAsync(server, "GET", target, host: null, token, jsonBody: null);

    public static async Task<(int Status, string Body)> SendAsync(Uri server, string method, string target, string? host, string? token, string? jsonBody)
    {
        var (status, _, body) = await ExchangeAsync(server, method, target, host, token, jsonBody);
        return (status, body);
    }

    /// <summary>The status, the header lines (as sent) and the body of the answer.</summary>
    public static async Task<(int Status, string Head, string Body)> ExchangeAsync(Uri server, string method, string target, string? host, string? token, string? jsonBody)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        await using var stream = client.GetStream();
        var headers = new StringBuilder();
        headers.Append("Host: ").Append(host ?? server.Authority).Append("\r\n");
        if (token is not null)
        {
            headers.Append("X-SweepRunner-Token: ").Append(token).Append("\r\n");
        }

        var body = jsonBody is null ? [] : Encoding.UTF8.GetBytes(jsonBody);
        if (jsonBody is not null)
        {
            headers.Append("Content-Type: application/json\r\nContent-Length: ").Append(body.Length).Append("\r\n");
        }

        var request = $"{method} {target} HTTP/1.1\r\n{headers}Connection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        await stream.WriteAsync(body);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var response = await reader.ReadToEndAsync();
        var statusLine = response.Split("\r\n", 2)[0];
        var status = int.Parse(statusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var bodyStart = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return bodyStart < 0 ? (status, response, "") : (status, response[..bodyStart], response[(bodyStart + 4)..]);
    }
}
