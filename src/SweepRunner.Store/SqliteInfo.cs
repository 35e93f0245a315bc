using Microsoft.Data.Sqlite;

namespace SweepRunner.Store;

public static class SqliteInfo
{
    /// <summary>The version of the SQLite library Microsoft.Data.Sqlite loaded.</summary>
    public static string Version()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT sqlite_version()";
        return (string)command.ExecuteScalar()!;
    }
}
