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
    public static string CanonicalText(IReadOnlyDictionary<string, object?> identityView, string datasetFingerprint, string modelFingerprint)
    {
        var text = new StringBuilder(1024);
        foreach (var (key, value) in identityView.OrderBy(p => p.Key, StringComparer.Ordinal))
            text.Append(key).Append('=').Append(SettingFormat.Format(value)).Append('\n');
        text.Append("dataset=").Append(datasetFingerprint).Append('\n');
        text.Append("model=").Append(modelFingerprint).Append('\n');
        return text.ToString();
    }

    public static string Id(string canonicalText) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalText)))[..16];
}
