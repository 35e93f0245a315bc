using System.Buffers.Binary;
using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;
using Polly;
using SweepRunner.Store.Connections;
using SweepRunner.Core.Results;
using SweepRunner.Store.Errors;

namespace SweepRunner.Store.Migrations;

/// <summary>
/// Brings a database to a schema version: looks at it read-only first (refusing one from a newer
/// SweepRunner without writing anything), backs up a non-empty database, then applies each missing script
/// in its own transaction, recording the version in PRAGMA user_version.
/// </summary>
internal sealed class SchemaMigrator
{
    private const string SqliteNotADatabase = "file is not a database";
    private const int SqliteHeaderLength = 100;
    private const int UserVersionOffset = 60;

    private static readonly byte[] SqliteMagic = "SQLite format 3\0"u8.ToArray();

    private readonly SqliteConnectionFactory _connections;
    private readonly ResiliencePipeline _retry;
    private readonly TimeProvider _time;

    public SchemaMigrator(SqliteConnectionFactory connections, ResiliencePipeline retry, TimeProvider time)
    {
        _connections = connections;
        _retry = retry;
        _time = time;
    }

    /// <summary>Migrates to <paramref name="targetVersion"/> and returns the path of the backup made first, if one was.</summary>
    public async Task<MigrationReport> MigrateAsync(int targetVersion, CancellationToken cancellationToken)
    {
        var scripts = MigrationScript.All;
        if (targetVersion < 1 || targetVersion > MigrationScript.LatestVersion)
        {
            throw new ArgumentOutOfRangeException(nameof(targetVersion), targetVersion, $"known schema versions are 1 to {MigrationScript.LatestVersion}");
        }

        var path = _connections.DatabasePath;
        var existingVersion = await ReadVersionWithoutWritingAsync(cancellationToken);
        if (existingVersion > MigrationScript.LatestVersion)
        {
            throw new DatabaseTooNewException(path, existingVersion, MigrationScript.LatestVersion);
        }

        await using var connection = await OpenAsync(cancellationToken);
        var startVersion = await ReadVersionAsync(connection, null, cancellationToken);
        if (startVersion >= targetVersion)
        {
            await EnableWriteAheadLogAsync(connection, cancellationToken);
            return new MigrationReport(startVersion, startVersion, null);
        }

        string? backupPath = null;
        if (startVersion > 0)
        {
            backupPath = DatabaseBackup.CopyBeside(connection, path, startVersion, _time.GetUtcNow());
        }
        else if (await CountSchemaObjectsAsync(connection, cancellationToken) > 0)
        {
            throw new ResultsStoreException(
                $"{path}: this SQLite file holds tables but no SweepRunner schema version; it is not a SweepRunner results " +
                "database. Choose another results folder, or move the file away.");
        }

        await EnableWriteAheadLogAsync(connection, cancellationToken);
        foreach (var script in scripts.Where(script => script.Version > startVersion && script.Version <= targetVersion))
        {
            await _retry.ExecuteAsync(
                async token => await ApplyAsync(connection, script, token),
                cancellationToken);
        }

        return new MigrationReport(startVersion, targetVersion, backupPath);
    }

    /// <summary>For a database that cannot be written: its schema version, which must be this SweepRunner's (nothing can be migrated).</summary>
    public async Task<MigrationReport> CheckWithoutMigratingAsync(CancellationToken cancellationToken)
    {
        int version;
        await using (var connection = await OpenAsync(cancellationToken))
        {
            version = await ReadVersionAsync(connection, null, cancellationToken);
        }

        if (version > MigrationScript.LatestVersion)
        {
            throw new DatabaseTooNewException(_connections.DatabasePath, version, MigrationScript.LatestVersion);
        }

        if (version < MigrationScript.LatestVersion)
        {
            throw new ResultsStoreException(
                $"{_connections.DatabasePath}: the database has schema version {version} and this SweepRunner reads version " +
                $"{MigrationScript.LatestVersion}; updating it needs write access, and the results folder is read-only. " +
                "Run the command once where the folder is writable, or on a writable copy of it.");
        }

        return new MigrationReport(version, version, null);
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _connections.OpenAsync(cancellationToken);
        }
        catch (SqliteException exception)
        {
            throw Explain(exception);
        }
    }

    /// <summary>
    /// Reads the schema version without writing anything: from the file header (offset 60, big-endian) when no
    /// write-ahead log is beside the file, since then the header is current; otherwise through a read-only
    /// connection, which reads the log too.
    /// </summary>
    private async Task<int> ReadVersionWithoutWritingAsync(CancellationToken cancellationToken)
    {
        var path = _connections.DatabasePath;
        var file = new FileInfo(path);
        if (!file.Exists || file.Length == 0)
        {
            return 0;
        }

        if (!File.Exists(path + "-wal"))
        {
            var header = new byte[SqliteHeaderLength];
            int read;
            await using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            {
                read = await stream.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken);
            }

            if (read < header.Length || !header.AsSpan(0, SqliteMagic.Length).SequenceEqual(SqliteMagic))
            {
                throw new ResultsStoreException($"{path}: the file is not a SQLite database. Choose another results folder, or move the file away.");
            }

            return BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(UserVersionOffset, 4));
        }

        try
        {
            await using var connection = await _connections.OpenReadOnlyAsync(cancellationToken);
            return await ReadVersionAsync(connection, null, cancellationToken);
        }
        catch (SqliteException exception)
        {
            throw Explain(exception);
        }
    }

    private ResultsStoreException Explain(SqliteException exception)
    {
        var path = _connections.DatabasePath;
        return exception.Message.Contains(SqliteNotADatabase, StringComparison.OrdinalIgnoreCase)
            ? new ResultsStoreException($"{path}: the file is not a SQLite database. Choose another results folder, or move the file away.", exception)
            : new ResultsStoreException($"{path}: cannot open the results database ({exception.Message}). Check that the folder exists and is writable.", exception);
    }

    private async Task EnableWriteAheadLogAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        var mode = await _retry.ExecuteAsync(
            async token => await connection.ExecuteScalarAsync<string>(new CommandDefinition("PRAGMA journal_mode = WAL;", cancellationToken: token)),
            cancellationToken);
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new ResultsStoreException(
                $"{_connections.DatabasePath}: SQLite could not switch the database to write-ahead logging (journal mode stays '{mode}'). " +
                "Keep the results folder on a local disk; network file systems do not support it.");
        }
    }

    private static async Task ApplyAsync(SqliteConnection connection, MigrationScript script, CancellationToken cancellationToken)
    {
        await using var transaction = connection.BeginTransaction(deferred: false);
        var current = await ReadVersionAsync(connection, transaction, cancellationToken);
        if (current >= script.Version)
        {
            // Another process applied it while this one waited for the lock.
            return;
        }

        if (current != script.Version - 1)
        {
            throw new InvalidOperationException(
                $"{connection.DataSource}: cannot apply schema version {script.Version} to a database at version {current}");
        }

        await connection.ExecuteAsync(new CommandDefinition(script.Sql, transaction: transaction, cancellationToken: cancellationToken));
        var setVersion = string.Create(CultureInfo.InvariantCulture, $"PRAGMA user_version = {script.Version};");
        await connection.ExecuteAsync(new CommandDefinition(setVersion, transaction: transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task<int> ReadVersionAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<int>(new CommandDefinition("PRAGMA user_version;", transaction: transaction, cancellationToken: cancellationToken));

    // Tables of a database still at version 0. One statement reads the version and the schema from one snapshot: read
    // apart, another process's first migration could commit in between, and its tables would look like a stranger's.
    private static async Task<long> CountSchemaObjectsAsync(SqliteConnection connection, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT CASE WHEN (SELECT user_version FROM pragma_user_version) = 0 " +
            "THEN (SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%') ELSE 0 END;", cancellationToken: cancellationToken));
}
