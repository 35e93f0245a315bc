using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;

namespace SweepRunner.Store.Migrations;

/// <summary>One numbered schema script embedded in this assembly (Migrations/NNNN_name.sql); applying it yields version NNNN.</summary>
internal sealed partial record MigrationScript(int Version, string Name, string Sql)
{
    private const string ResourcePrefix = "SweepRunner.Store.Migrations.";

    private static readonly Lazy<IReadOnlyList<MigrationScript>> Embedded = new(LoadEmbedded);

    /// <summary>Every embedded script in version order; versions run 1, 2, 3… without gaps.</summary>
    public static IReadOnlyList<MigrationScript> All => Embedded.Value;

    public static int LatestVersion => All[^1].Version;

    private static IReadOnlyList<MigrationScript> LoadEmbedded()
    {
        var assembly = typeof(MigrationScript).Assembly;
        var scripts = new List<MigrationScript>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var fileName = resource[ResourcePrefix.Length..];
            var match = ScriptFileName().Match(fileName);
            if (!match.Success)
            {
                throw new InvalidOperationException($"embedded migration '{fileName}' is not named NNNN_name.sql");
            }

            scripts.Add(new MigrationScript(
                int.Parse(match.Groups["version"].Value, CultureInfo.InvariantCulture),
                match.Groups["name"].Value,
                ReadResource(assembly, resource)));
        }

        scripts.Sort((left, right) => left.Version.CompareTo(right.Version));
        for (var index = 0; index < scripts.Count; index++)
        {
            if (scripts[index].Version != index + 1)
            {
                throw new InvalidOperationException(
                    $"embedded migrations must be numbered 1, 2, 3… without gaps; found version {scripts[index].Version} at position {index + 1}");
            }
        }

        if (scripts.Count == 0)
        {
            throw new InvalidOperationException("no migration scripts are embedded in the store assembly");
        }

        return scripts;
    }

    private static string ReadResource(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"embedded migration '{resource}' cannot be read");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"^(?<version>\d{4})_(?<name>[a-z0-9_]+)\.sql$")]
    private static partial Regex ScriptFileName();
}
