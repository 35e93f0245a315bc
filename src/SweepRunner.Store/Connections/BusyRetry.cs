using Microsoft.Data.Sqlite;
using Polly;
using Polly.Retry;

namespace SweepRunner.Store.Connections;

/// <summary>
/// Retries a whole transaction when SQLite reports the database busy or locked, which can still happen
/// after the busy timeout when two processes write at length at the same time.
/// </summary>
internal static class BusyRetry
{
    public const int SqliteBusy = 5;
    public const int SqliteLocked = 6;

    public static ResiliencePipeline Create() =>
        new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<SqliteException>(IsBusyOrLocked),
                MaxRetryAttempts = 10,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(20),
                MaxDelay = TimeSpan.FromSeconds(2),
            })
            .Build();

    public static bool IsBusyOrLocked(SqliteException exception) =>
        exception.SqliteErrorCode is SqliteBusy or SqliteLocked;
}
