using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace SweepRunner.Core.Datasets;

public sealed class DatasetException(string message) : Exception(message);

/// <summary>
/// Reads a dataset folder in kohya layout: subfolders <c>&lt;repeats&gt;_&lt;class tokens&gt;</c> holding
/// images and <c>&lt;image&gt;.txt</c> captions. The fingerprint covers every image and caption's name,
/// size and content hash, so a changed dataset gives different job ids.
/// </summary>
public static partial class DatasetScanner
{
    [GeneratedRegex(@"^(\d+)_(.*)$")]
    private static partial Regex FolderPattern();

    public static DatasetInfo Scan(string path, string captionExtension = ".txt")
    {
        if (!Directory.Exists(path))
            throw new DatasetException($"dataset folder '{path}' does not exist");
        var folders = new List<DatasetFolder>();
        using var fingerprint = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var dir in Directory.GetDirectories(path).Order(StringComparer.Ordinal))
        {
            var name = System.IO.Path.GetFileName(dir);
            var match = FolderPattern().Match(name);
            if (!match.Success) continue;
            if (!int.TryParse(match.Groups[1].Value, out var repeats) || repeats < 1)
                throw new DatasetException($"{dir}: the repeats prefix must be a whole number of at least 1");
            var classTokens = match.Groups[2].Value.Replace('_', ' ').Trim();
            var images = new List<DatasetImage>();
            foreach (var file in Directory.GetFiles(dir).Order(StringComparer.Ordinal))
            {
                if (!ImageSize.Extensions.Contains(System.IO.Path.GetExtension(file).ToLowerInvariant())) continue;
                var relative = System.IO.Path.GetRelativePath(path, file).Replace('\\', '/');
                (int Width, int Height) size;
                try
                {
                    size = ImageSize.Read(file);
                }
                catch (InvalidDataException e)
                {
                    throw new DatasetException(e.Message + ". Remove or replace the file");
                }
                var captionPath = System.IO.Path.ChangeExtension(file, captionExtension);
                string? caption = null;
                if (File.Exists(captionPath))
                {
                    caption = File.ReadLines(captionPath).FirstOrDefault()?.Trim();
                    AddToFingerprint(fingerprint, System.IO.Path.GetRelativePath(path, captionPath), captionPath);
                }
                AddToFingerprint(fingerprint, relative, file);
                images.Add(new DatasetImage(relative, new FileInfo(file).Length, size.Width, size.Height, caption));
            }
            if (images.Count > 0) folders.Add(new DatasetFolder(name, repeats, classTokens, images));
        }
        if (folders.Count == 0)
            throw new DatasetException(
                $"dataset folder '{path}' has no image subfolders in kohya layout; put images in subfolders named <repeats>_<name>, e.g. 15_subject");
        return new DatasetInfo(path, folders, Convert.ToHexStringLower(fingerprint.GetHashAndReset()));
    }

    static void AddToFingerprint(IncrementalHash hash, string relative, string file)
    {
        using var stream = File.OpenRead(file);
        var content = SHA256.HashData(stream);
        hash.AppendData(Encoding.UTF8.GetBytes($"{relative.Replace('\\', '/')}\n{stream.Length}\n"));
        hash.AppendData(content);
    }
}
