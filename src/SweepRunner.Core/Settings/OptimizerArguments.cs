namespace SweepRunner.Core.Settings;

/// <summary>optimizer_args as sd-scripts takes them: space-separated key=value pairs.</summary>
public static class OptimizerArguments
{
    public static IReadOnlyDictionary<string, string> Parse(string? text)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(text)) return result;
        foreach (var pair in text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            var at = pair.IndexOf('=');
            if (at <= 0) throw new FormatException($"optimizer_args item '{pair}' is not key=value");
            result[pair[..at].Trim()] = pair[(at + 1)..].Trim();
        }
        return result;
    }

    public static string Canonical(string? text) =>
        string.Join(" ", Parse(text).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
}
