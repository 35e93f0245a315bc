namespace SweepRunner.TestSupport;

/// <summary>One line of Fixtures/sd15-ldm-keys.txt: LDM name, shape, diffusers name.</summary>
public sealed record LdmKeyEntry(string Name, long[] Shape, string DiffusersName);

public static class LdmKeyFixture
{
    /// <summary>The 1130 tensors of a single-file SD1.5 checkpoint, keyed by LDM name.</summary>
    public static IReadOnlyDictionary<string, LdmKeyEntry> Sd15 { get; } = Read("sd15-ldm-keys.txt");

    static Dictionary<string, LdmKeyEntry> Read(string fileName)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", fileName);
        var entries = new Dictionary<string, LdmKeyEntry>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var parts = line.Split(' ');
            var shape = parts[1].Split('x').Select(long.Parse).ToArray();
            entries.Add(parts[0], new LdmKeyEntry(parts[0], shape, parts[2]));
        }

        return entries;
    }
}
