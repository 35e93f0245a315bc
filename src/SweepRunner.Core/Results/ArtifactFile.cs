using System.Security.Cryptography;
using SweepRunner.Core.Files;

namespace SweepRunner.Core.Results;

/// <summary>
/// A finished file under the results folder: its path relative to that folder (always with '/'), its size,
/// the lowercase hex SHA-256 of the whole file and, for a safetensors file, its data hash
/// (<see cref="SafetensorsDataHash"/>, kohya's <c>sshs_model_hash</c>). The caller writes the file completely
/// (temporary name, then rename) before recording it.
/// </summary>
public sealed record ArtifactFile
{
    /// <summary>The file name extension of the artifacts that get a <see cref="DataSha256"/>.</summary>
    public const string SafetensorsExtension = ".safetensors";

    public ArtifactFile(string relativePath, long bytes, string sha256, string? dataSha256 = null)
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

        if (dataSha256 is not null && (dataSha256.Length != 64 || !dataSha256.All(Uri.IsHexDigit)))
        {
            throw new ArgumentException($"artifact '{relativePath}': expected a data SHA-256 of 64 hex digits, got '{dataSha256}'", nameof(dataSha256));
        }

        Bytes = bytes;
        Sha256 = sha256.ToLowerInvariant();
        DataSha256 = dataSha256?.ToLowerInvariant();
    }

    public string RelativePath { get; }

    public long Bytes { get; }

    /// <summary>The SHA-256 of the whole file, header and metadata included.</summary>
    public string Sha256 { get; }

    /// <summary>
    /// For a safetensors file, the SHA-256 of its tensor data alone (everything after the header): equal for
    /// files with the same tensors whatever their metadata. Null for other files (preview PNGs) and for
    /// checkpoints recorded before schema version 7.
    /// </summary>
    public string? DataSha256 { get; }

    /// <summary>
    /// Measures a file that lies inside <paramref name="resultsFolder"/>: relative path, size, SHA-256 and, when
    /// its name ends in <see cref="SafetensorsExtension"/>, its data hash.
    /// </summary>
    /// <exception cref="InvalidDataException">A <c>.safetensors</c> file is not one (too short for its header).</exception>
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
        var dataHash = full.EndsWith(SafetensorsExtension, StringComparison.OrdinalIgnoreCase)
            ? SafetensorsDataHash.Of(stream.SafeFileHandle, full)
            : null;
        return new ArtifactFile(relative, stream.Length, hash, dataHash);
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
