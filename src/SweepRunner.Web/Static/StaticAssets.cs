
namespace SweepRunner.Web.Static;

/// <summary>
/// The page's files, embedded in this assembly (wwwroot/*). They are looked up by exact name in a fixed
/// table read once at start, so no part of a request ever reaches the file system.
/// </summary>
internal sealed class StaticAssets
{
    private const string Prefix = "SweepRunner.Web.wwwroot.";

    private static readonly IReadOnlyDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".svg"] = "image/svg+xml",
    };

    private readonly Dictionary<string, StaticAsset> _assets = new(StringComparer.Ordinal);

    public StaticAssets()
    {
        var assembly = typeof(StaticAssets).Assembly;
        foreach (var resource in assembly.GetManifestResourceNames().Where(name => name.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            var name = resource[Prefix.Length..];
            using var stream = assembly.GetManifestResourceStream(resource)
                ?? throw new InvalidOperationException($"embedded file '{resource}' cannot be read");
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            var contentType = ContentTypes.GetValueOrDefault(Path.GetExtension(name), "application/octet-stream");
            _assets[name] = new StaticAsset(name, contentType, memory.ToArray());
        }
    }

    public IEnumerable<string> Names => _assets.Keys;

    public StaticAsset? Find(string name) => _assets.GetValueOrDefault(name);
}

internal sealed record StaticAsset(string Name, string ContentType, byte[] Content);
