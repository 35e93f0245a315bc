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

    public SqliteConnectionFactory(string databasePath)
    {
        DatabasePath = databasePath;
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

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
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
}
