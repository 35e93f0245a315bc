using Dapper;
using SweepRunner.Store.Connections;
using SweepRunner.Store.Tests.Support;

namespace SweepRunner.Store.Tests.Connections;

public sealed class SqliteConnectionFactoryTests
{
    [Fact]
    public async Task Connections_use_wal_foreign_keys_a_busy_timeout_and_normal_sync()
    {
        using var folder = new TemporaryFolder();
        await ResultsStore.OpenAsync(folder.Path);

        await using var connection = await new SqliteConnectionFactory(folder.DatabasePath).OpenAsync(CancellationToken.None);

        Assert.Equal("wal", await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode;"));
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("PRAGMA foreign_keys;"));
        Assert.Equal(SqliteConnectionFactory.BusyTimeoutMilliseconds, await connection.ExecuteScalarAsync<int>("PRAGMA busy_timeout;"));
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("PRAGMA synchronous;")); // 1 = NORMAL
    }

    [Fact]
    public async Task Read_only_connections_cannot_write()
    {
        using var folder = new TemporaryFolder();
        await ResultsStore.OpenAsync(folder.Path);

        await using var connection = await new SqliteConnectionFactory(folder.DatabasePath).OpenReadOnlyAsync(CancellationToken.None);

        var refusal = await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => connection.ExecuteAsync("PRAGMA user_version = 99;"));
        Assert.Equal(8, refusal.SqliteErrorCode); // SQLITE_READONLY
    }
}
