using System.Security.Cryptography;
using System.Text;
using SweepRunner.Core.Settings;

namespace SweepRunner.Core.Planning;

/// <summary>
/// A job's id: a SHA-256 of its identity view (effective settings that can affect training, in key
/// order, invariant formatting) and the fingerprints of its dataset and base model. The same job gets
/// the same id in every run and every sweep, whatever the key order in the file.
/// </summary>
public static class JobIdentity
{
    static readonly string[] SortedKeys = SettingsCatalog.Keys.Order(StringComparer.Ordinal).ToArray();

    public static string CanonicalText(IReadOnlyDictionary<string, object?> identityView, string datasetFingerprint, string modelFingerprint)
    {
        var text = new StringBuilder(1024);
        foreach (var key in SortedKeys)
            if (identityView.TryGetValue(key, out var value))
                text.Append(key).Append('=').Append(SettingFormat.Format(value)).Append('\n');
        foreach (var extra in identityView.Keys.Where(k => !SettingsCatalog.TryGet(k, out _)).Order(StringComparer.Ordinal))
            throw new ArgumentException($"'{extra}' is not a setting", nameof(identityView));
        text.Append("dataset=").Append(datasetFingerprint).Append('\n');
        text.Append("model=").Append(modelFingerprint).Append('\n');
        return text.ToString();
    }

    public static string Id(string canonicalText) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalText)))[..16];
}
