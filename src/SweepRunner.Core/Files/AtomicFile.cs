namespace SweepRunner.Core.Files;

/// <summary>
/// Writes a file so that readers see either the old file or the complete new one, never a partial one:
/// the content goes to a temporary name in the same folder, is flushed to disk, and is then renamed over
/// the destination.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/> and renames it into place.</summary>
    /// <returns>What <paramref name="write"/> returned.</returns>
    public static T Write<T>(string path, Func<FileStream, T> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        var fullPath = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(fullPath)
            ?? throw new ArgumentException($"'{path}' has no parent folder to write into.", nameof(path));
        Directory.CreateDirectory(folder);
        var temporary = Path.Combine(folder, TemporaryNameFor(Path.GetFileName(fullPath)));
        try
        {
            T result;
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                result = write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, fullPath, overwrite: true);
            return result;
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/> and renames it into place.</summary>
    public static void Write(string path, Action<FileStream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        Write(path, stream =>
        {
            write(stream);
            return true;
        });
    }

    /// <summary>The name a write to <paramref name="fileName"/> goes to first: <c>.&lt;name&gt;.&lt;32 hex digits&gt;.tmp</c>, held open without sharing while written.</summary>
    public static string TemporaryNameFor(string fileName) => $".{fileName}.{Guid.NewGuid():N}.tmp";

    /// <summary>Whether <paramref name="fileName"/> has the shape of <see cref="TemporaryNameFor"/>'s names.</summary>
    public static bool IsTemporaryName(string fileName) =>
        fileName.Length >= 2 + 37 && fileName[0] == '.' && fileName.EndsWith(".tmp", StringComparison.Ordinal)
        && fileName[^37] == '.' && !fileName.AsSpan(fileName.Length - 36, 32).ContainsAnyExcept(LowerHexDigits);

    static readonly System.Buffers.SearchValues<char> LowerHexDigits = System.Buffers.SearchValues.Create("0123456789abcdef");

    static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // The original error matters more than a leftover temporary file.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
