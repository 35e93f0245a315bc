using Microsoft.Data.Sqlite;
using SweepRunner.Core.Results;

namespace SweepRunner.Store.Errors;

/// <summary>
/// The disk that holds the results database is full. SQLite rolled the failed transaction back, so everything stored
/// before it is intact; the work resumes once there is space.
/// </summary>
public sealed class ResultsDiskFullException : ResultsStoreException
{
    const int SqliteFull = 13;
    const int SqliteIoError = 10;

    // Below this much free space an I/O error while writing is taken for a full disk (SQLite reports some
    // failed writes, such as growing the shared-memory file, as I/O errors rather than SQLITE_FULL).
    const long NearlyFullBytes = 4 << 20;

    public ResultsDiskFullException(string databasePath, Exception innerException)
        : base($"{databasePath}: the disk is full ({innerException.Message}). Nothing stored before was lost. " +
               "Free some space and run the same command again to resume.", innerException)
    {
        DatabasePath = databasePath;
    }

    public string DatabasePath { get; }

    /// <summary>Whether <paramref name="exception"/> from writing <paramref name="databasePath"/> means its disk is full.</summary>
    public static bool Means(Exception exception, string databasePath) => exception switch
    {
        SqliteException { SqliteErrorCode: SqliteFull } => true,
        SqliteException { SqliteErrorCode: SqliteIoError } => FreeBytes(databasePath) < NearlyFullBytes,
        IOException io => io.HResult == Enospc,
        _ => false,
    };

    // The errno that .NET puts in HResult for "No space left on device" on Linux.
    const int Enospc = 28;

    static long FreeBytes(string path)
    {
        try
        {
            return new DriveInfo(Path.GetDirectoryName(Path.GetFullPath(path))!).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return long.MaxValue;
        }
    }
}
