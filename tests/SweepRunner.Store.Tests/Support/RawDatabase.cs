using Dapper;
using Microsoft.Data.Sqlite;

namespace SweepRunner.Store.Tests.Support;

/// <summary>Direct access to a database file, for looking under the store and for writing what only an old version could.</summary>
public static class RawDatabase
{
    public static SqliteConnection Open(string databasePath, SqliteOpenMode mode = SqliteOpenMode.ReadWriteCreate)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = mode,
            Pooling = false,
        }.ToString());
        connection.Open();
        connection.Execute("PRAGMA busy_timeout = 5000;");
        return connection;
    }

    public static T Scalar<T>(string databasePath, string sql, object? parameters = null)
    {
        using var connection = Open(databasePath);
        return connection.ExecuteScalar<T>(sql, parameters)!;
    }

    public static void Execute(string databasePath, string sql, object? parameters = null)
    {
        using var connection = Open(databasePath);
        connection.Execute(sql, parameters);
    }

    public static List<T> Query<T>(string databasePath, string sql, object? parameters = null)
    {
        using var connection = Open(databasePath);
        return connection.Query<T>(sql, parameters).ToList();
    }
}
