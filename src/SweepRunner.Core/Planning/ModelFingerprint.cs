using System.Security.Cryptography;
using System.Text;

namespace SweepRunner.Core.Planning;

/// <summary>
/// Identifies a base model file cheaply: its size plus a SHA-256 of its first and last MiB (whole-file
/// hashing of a 4 GB checkpoint per plan would take seconds). A diffusers folder is identified by its
/// network files the same way. A path that does not exist yet is identified by its name alone.
/// </summary>
public static partial class ModelFingerprint
{
    /// <summary>Whether a base model setting has the shape of a Hugging Face model id (<c>owner/name</c>) rather than of a path.</summary>
    public static bool LooksLikeHubId(string modelSetting) =>
        HubId().IsMatch(modelSetting)
        && !WeightFileExtensions.Any(e => modelSetting.EndsWith(e, StringComparison.OrdinalIgnoreCase));

    static readonly string[] WeightFileExtensions = [".safetensors", ".ckpt", ".pt", ".pth", ".bin"];

    [System.Text.RegularExpressions.GeneratedRegex(@"^[A-Za-z0-9][\w.-]*/[\w.-]+$")]
    private static partial System.Text.RegularExpressions.Regex HubId();

    public const string DemoModel = "demo";
    const int Chunk = 1 << 20;

    public static string Of(string modelSetting, string sweepDirectory, out bool exists)
    {
        exists = true;
        if (modelSetting == DemoModel) return DemoModel;
        var path = Path.GetFullPath(Path.Combine(sweepDirectory, modelSetting));
        if (File.Exists(path)) return "file:" + HashFile(path);
        if (Directory.Exists(path))
        {
            var files = Directory.GetFiles(path, "*", SearchOption.AllDirectories)
                .Where(f => f.EndsWith(".safetensors", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal) || f.EndsWith(".txt", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal);
            var combined = new StringBuilder();
            foreach (var file in files) combined.Append(Path.GetRelativePath(path, file).Replace('\\', '/')).Append('=').Append(HashFile(file)).Append('\n');
            return "folder:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(combined.ToString())));
        }
        exists = false;
        return "missing:" + Path.GetFileName(modelSetting);
    }

    static string HashFile(string path)
    {
        using var stream = File.OpenRead(path);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[Chunk];
        var read = stream.ReadAtLeast(buffer, Chunk, throwOnEndOfStream: false);
        hash.AppendData(buffer, 0, read);
        if (stream.Length > 2L * Chunk)
        {
            stream.Seek(-Chunk, SeekOrigin.End);
            read = stream.ReadAtLeast(buffer, Chunk, throwOnEndOfStream: false);
            hash.AppendData(buffer, 0, read);
        }
        hash.AppendData(BitConverter.GetBytes(stream.Length));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
