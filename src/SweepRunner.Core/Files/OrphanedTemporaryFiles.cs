namespace SweepRunner.Core.Files;

/// <summary>What a clean-up of orphaned temporary files removed.</summary>
public sealed record RemovedTemporaryFiles(int Count, long Bytes);

/// <summary>
/// Removes the temporary files that interrupted <see cref="AtomicFile"/> writes left under a folder (a killed worker's
/// half-written training state, LoRA, preview or latent-cache file). A file is removed only when it is provably dead: it
/// has a temporary file's name, no process holds it open (a writer holds it without sharing until it is complete), and
/// it has not changed for <c>quietFor</c> (a complete file is renamed into place right after its writer closes it).
/// </summary>
public static class OrphanedTemporaryFiles
{
    public static readonly TimeSpan DefaultQuietTime = TimeSpan.FromMinutes(1);

    public static RemovedTemporaryFiles Remove(string folder, TimeSpan quietFor, TimeProvider? time = null)
    {
        if (!Directory.Exists(folder)) return new RemovedTemporaryFiles(0, 0);
        var now = (time ?? TimeProvider.System).GetUtcNow().UtcDateTime;
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true };
        var count = 0;
        long bytes = 0;
        foreach (var path in Directory.EnumerateFiles(folder, ".*.tmp", options))
        {
            var file = new FileInfo(path);
            if (!AtomicFile.IsTemporaryName(file.Name) || now - file.LastWriteTimeUtc < quietFor) continue;
            try
            {
                // Opening without sharing fails while the writer still has it open.
                using (new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None)) { }
                var size = file.Length;
                file.Delete();
                count++;
                bytes += size;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Held by a live writer, or not ours to delete: leave it.
            }
        }
        return new RemovedTemporaryFiles(count, bytes);
    }
}
