using System.Security.Cryptography;

namespace SweepRunner.Core.Results;

/// <summary>
/// A finished file under the results folder: its path relative to that folder (always with '/'), its size
/// and its lowercase hex SHA-256. The caller writes the file completely (temporary name, then rename)
/// before recording it.
/// </summary>
public sealed record ArtifactFile
{
    public ArtifactFile(string relativePath, long bytes, string sha256)
    {
        RelativePath = NormalizeRelativePath(relativePath);
        if (bytes < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(bytes), bytes, $"artifact '{relativePath}' cannot have a negative size");
        }

        if (sha256.Length != 64 || !sha256.All(Uri.IsHexDigit))
        {
            throw new ArgumentException($"artifact '{relativePath}': expected a SHA-256 of 64 hex digits, got '{sha256}'", nameof(sha256));
        }

        Bytes = bytes;
        Sha256 = sha256.ToLowerInvariant();
    }

    public string RelativePath { get; }

    public long Bytes { get; }

    public string Sha256 { get; }

    /// <summary>Measures a file that lies inside <paramref name="resultsFolder"/>: relative path, size and SHA-256.</summary>
    public static ArtifactFile Describe(string resultsFolder, string filePath)
    {
        var root = Path.GetFullPath(resultsFolder);
        var full = Path.GetFullPath(filePath, root);
        var relative = Path.GetRelativePath(root, full);
        if (relative == "." || Path.IsPathRooted(relative) || relative.Split(Path.DirectorySeparatorChar).Contains(".."))
        {
            throw new ArgumentException($"artifact '{full}' is not inside the results folder '{root}'; write artifacts under the results folder", nameof(filePath));
        }

        using var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read);
        var hash = Convert.ToHexStringLower(SHA256.HashData(stream));
        return new ArtifactFile(relative, stream.Length, hash);
    }

    private static string NormalizeRelativePath(string relativePath)
    {
        var forward = relativePath.Replace('\\', '/');
        if (forward.Length == 0 || forward.StartsWith('/') || Path.IsPathRooted(relativePath)
            || forward.Split('/').Any(part => part is "" or "." or ".."))
        {
            throw new ArgumentException(
                $"artifact path '{relativePath}' must be relative to the results folder, without '.', '..' or empty parts",
                nameof(relativePath));
        }

        return forward;
    }
}
