using Microsoft.Data.Sqlite;
using SweepRunner.Store.Connections;

namespace SweepRunner.Store.Tests.Connections;

public sealed class BusyRetryTests
{
    [Theory]
    [InlineData(BusyRetry.SqliteBusy)]
    [InlineData(BusyRetry.SqliteLocked)]
    public async Task Busy_and_locked_errors_are_retried_until_the_work_succeeds(int errorCode)
    {
        var calls = 0;

        var result = await BusyRetry.Create().ExecuteAsync(_ =>
        {
            calls++;
            return calls < 3 ? throw new SqliteException("database is locked", errorCode) : ValueTask.FromResult("written");
        });

        Assert.Equal(("written", 3), (result, calls));
    }

    [Fact]
    public async Task Other_sqlite_errors_are_not_retried()
    {
        var calls = 0;

        var failure = await Assert.ThrowsAsync<SqliteException>(async () => await BusyRetry.Create().ExecuteAsync<int>(_ =>
        {
            calls++;
            throw new SqliteException("constraint failed", 19);
        }));

        Assert.Equal((19, 1), (failure.SqliteErrorCode, calls));
    }
}
