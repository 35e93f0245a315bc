using Dapper;
using Microsoft.Data.Sqlite;

namespace SweepRunner.Store.Connections;

/// <summary>
/// Opens connections to one database file with the settings every connection needs. Connections are not
/// pooled: each operation opens and closes its own, so no file handle outlives the operation.
/// </summary>
internal sealed class SqliteConnectionFactory
{
    /// <summary>How long SQLite itself waits for another writer's lock before reporting SQLITE_BUSY.</summary>
    public const int BusyTimeoutMilliseconds = 5000;

    private static readonly string PerConnectionPragmas =
        $"""
        PRAGMA busy_timeout = {BusyTimeoutMilliseconds};
        PRAGMA foreign_keys = ON;
        PRAGMA synchronous = NORMAL;
        """;

    private readonly string _readWriteConnectionString;
    private readonly string _readOnlyConnectionString;
    private readonly string _immutableConnectionString;

    /// <param name="readOnly">
    /// The folder or file cannot be written: every connection is read-only, and where SQLite cannot read a
    /// write-ahead-log database that way (it needs to create the -shm file beside it) the file is opened as immutable.
    /// </param>
    public SqliteConnectionFactory(string databasePath, bool readOnly = false)
    {
        DatabasePath = databasePath;
        IsReadOnly = readOnly;
        _immutableConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = new Uri(databasePath).AbsoluteUri + "?immutable=1",
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString();
        _readWriteConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString();
        _readOnlyConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString();
    }

    public string DatabasePath { get; }

    public bool IsReadOnly { get; }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (IsReadOnly)
        {
            return await OpenInReadOnlyFolderAsync(cancellationToken);
        }

        var connection = new SqliteConnection(_readWriteConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(PerConnectionPragmas, cancellationToken: cancellationToken));
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>A connection that cannot write the main database file, for looking before migrating.</summary>
    public async Task<SqliteConnection> OpenReadOnlyAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_readOnlyConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(
                $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds};", cancellationToken: cancellationToken));
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private async Task<SqliteConnection> OpenInReadOnlyFolderAsync(CancellationToken cancellationToken)
    {
        try
        {
            var connection = await OpenReadOnlyAsync(cancellationToken);
            try
            {
                // A WAL database fails here, at its first read, when its -shm file is missing and cannot be created.
                await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM sqlite_schema;", cancellationToken: cancellationToken));
                return connection;
            }
            catch
            {
                await connection.DisposeAsync();
                throw;
            }
        }
        catch (SqliteException)
        {
            var immutable = new SqliteConnection(_immutableConnectionString);
            try
            {
                await immutable.OpenAsync(cancellationToken);
                return immutable;
            }
            catch
            {
                await immutable.DisposeAsync();
                throw;
            }
        }
    }
}
