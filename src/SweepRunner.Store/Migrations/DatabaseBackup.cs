using System.Globalization;
using Microsoft.Data.Sqlite;
using SweepRunner.Store.Time;

namespace SweepRunner.Store.Migrations;

/// <summary>Online copies of the database, taken next to it before its schema changes.</summary>
internal static class DatabaseBackup
{
    /// <summary>
    /// Copies the open database to <c>&lt;name&gt;.v&lt;version&gt;-backup-&lt;UTC stamp&gt;.db</c> beside it and returns
    /// the copy's path. SQLite's backup API copies a consistent state even while other connections write.
    /// </summary>
    public static string CopyBeside(SqliteConnection source, string databasePath, int version, DateTimeOffset now)
    {
        var folder = Path.GetDirectoryName(databasePath) ?? ".";
        var stem = Path.GetFileNameWithoutExtension(databasePath);
        var baseName = string.Create(CultureInfo.InvariantCulture, $"{stem}.v{version}-backup-{UtcText.FileStamp(now)}");
        var backupPath = Path.Combine(folder, baseName + ".db");
        for (var suffix = 2; File.Exists(backupPath); suffix++)
        {
            backupPath = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"{baseName}-{suffix}.db"));
        }

        var destinationConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = backupPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString();
        using var destination = new SqliteConnection(destinationConnectionString);
        destination.Open();
        source.BackupDatabase(destination);
        return backupPath;
    }
}
