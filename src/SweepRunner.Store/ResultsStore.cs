using Microsoft.Data.Sqlite;
using Polly;
using SweepRunner.Store.Connections;
using SweepRunner.Core.Results;
using SweepRunner.Store.Errors;
using SweepRunner.Store.Migrations;
using SweepRunner.Store.Time;

namespace SweepRunner.Store;

/// <summary>
/// The SQLite database of one results folder (<c>&lt;results&gt;/sweeprunner.db</c>): sweeps, jobs, attempts,
/// metrics, artifacts, scores and events. Safe to use from several processes at once: every write is one
/// immediate transaction, retried when another process holds the lock. Each concern's operations live in
/// their own file (ResultsStore.Sweeps.cs, ResultsStore.Attempts.cs, …).
/// </summary>
public sealed partial class ResultsStore : IScoringStore
{
    public const string DatabaseFileName = "sweeprunner.db";

    private readonly SqliteConnectionFactory _connections;
    private readonly ResiliencePipeline _retry;
    private readonly TimeProvider _time;

    private ResultsStore(string resultsFolder, SqliteConnectionFactory connections, ResiliencePipeline retry, TimeProvider time, MigrationReport migration)
    {
        ResultsFolder = resultsFolder;
        _connections = connections;
        _retry = retry;
        _time = time;
        Migration = migration;
    }

    /// <summary>The results folder, as a full path.</summary>
    public string ResultsFolder { get; }

    public string DatabasePath => _connections.DatabasePath;

    /// <summary>What opening did to the schema, including the backup made before a migration.</summary>
    public MigrationReport Migration { get; }

    /// <summary>The newest schema version this SweepRunner knows.</summary>
    public static int SupportedSchemaVersion => MigrationScript.LatestVersion;

    /// <summary>
    /// Opens (creating when missing) the database of <paramref name="resultsFolder"/> and brings its schema up
    /// to date, backing it up first when it holds an older version.
    /// </summary>
    /// <exception cref="DatabaseTooNewException">The database comes from a newer SweepRunner; it is left untouched.</exception>
    /// <exception cref="ResultsStoreException">The file is not a usable SweepRunner database.</exception>
    public static Task<ResultsStore> OpenAsync(string resultsFolder, TimeProvider? time = null, CancellationToken cancellationToken = default) =>
        OpenAtVersionAsync(resultsFolder, MigrationScript.LatestVersion, time ?? TimeProvider.System, cancellationToken);

    /// <summary>
    /// Opens the database of <paramref name="resultsFolder"/> for a command that only reads: as <see cref="OpenAsync"/>
    /// does where the folder and database can be written, read-only where they cannot (a read-only mount or
    /// permissions); then every write fails with a <see cref="ResultsStoreException"/> that says so.
    /// </summary>
    public static async Task<ResultsStore> OpenForReadingAsync(string resultsFolder, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        var folder = Path.GetFullPath(resultsFolder);
        var path = Path.Combine(folder, DatabaseFileName);
        if (!File.Exists(path) || NotWritable(folder, path) is null)
        {
            return await OpenAsync(resultsFolder, time, cancellationToken);
        }

        var connections = new SqliteConnectionFactory(path, readOnly: true);
        var retry = BusyRetry.Create();
        time ??= TimeProvider.System;
        var migration = await new SchemaMigrator(connections, retry, time).CheckWithoutMigratingAsync(cancellationToken);
        return new ResultsStore(folder, connections, retry, time, migration);
    }

    /// <summary>Whether this store was opened read-only, because its folder or database cannot be written.</summary>
    public bool IsReadOnly => _connections.IsReadOnly;

    /// <summary>Why the results folder or its database cannot be written, or null when they can (a full disk counts as writable).</summary>
    internal static string? NotWritable(string folder, string databasePath)
    {
        try
        {
            using (new FileStream(Path.Combine(folder, $".sweeprunner-write-test-{Environment.ProcessId}-{Guid.NewGuid():N}"), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception exception) when (exception is UnauthorizedAccessException || (exception is IOException && !ResultsDiskFullException.Means(exception, databasePath)))
        {
            return $"{folder}: the results folder is not writable ({exception.Message})";
        }

        return File.Exists(databasePath) && File.GetAttributes(databasePath).HasFlag(FileAttributes.ReadOnly)
            ? $"{databasePath}: the results database is read-only"
            : null;
    }

    /// <summary>Opens the database migrated only up to <paramref name="schemaVersion"/>, to test migrations from that version.</summary>
    internal static async Task<ResultsStore> OpenAtVersionAsync(string resultsFolder, int schemaVersion, TimeProvider time, CancellationToken cancellationToken)
    {
        var folder = Path.GetFullPath(resultsFolder);
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new ResultsStoreException($"{folder}: cannot create the results folder ({exception.Message}). Choose a writable folder with --results.", exception);
        }

        var connections = new SqliteConnectionFactory(Path.Combine(folder, DatabaseFileName));
        if (NotWritable(folder, connections.DatabasePath) is { } problem)
        {
            throw new ResultsStoreException($"{problem}; this command writes there. Choose a writable folder with --results, or make it writable.");
        }

        var retry = BusyRetry.Create();
        MigrationReport migration;
        try
        {
            migration = await new SchemaMigrator(connections, retry, time).MigrateAsync(schemaVersion, cancellationToken);
        }
        catch (Exception exception) when (ResultsDiskFullException.Means(exception, connections.DatabasePath))
        {
            throw new ResultsDiskFullException(connections.DatabasePath, exception);
        }

        return new ResultsStore(folder, connections, retry, time, migration);
    }

    /// <summary>Runs <paramref name="work"/> in one immediate (write-locking) transaction, retried as a whole while the database is busy.</summary>
    /// <exception cref="ResultsDiskFullException">The disk is full; the transaction was rolled back.</exception>
    private async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        if (IsReadOnly)
        {
            throw new ResultsStoreException($"{DatabasePath}: the results folder is read-only; nothing can be saved there. Make it writable, or work on a writable copy.");
        }

        try
        {
            return await _retry.ExecuteAsync(
                async token =>
                {
                    await using var connection = await _connections.OpenAsync(token);
                    await using var transaction = connection.BeginTransaction(deferred: false);
                    var result = await work(connection, transaction, token);
                    await transaction.CommitAsync(token);
                    return result;
                },
                cancellationToken);
        }
        catch (Exception exception) when (ResultsDiskFullException.Means(exception, DatabasePath))
        {
            throw new ResultsDiskFullException(DatabasePath, exception);
        }
    }

    /// <summary>Runs <paramref name="work"/> in one read transaction, so that all its queries see the same state.</summary>
    private async Task<T> ReadAsync<T>(Func<SqliteConnection, SqliteTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        await _retry.ExecuteAsync(
            async token =>
            {
                await using var connection = await _connections.OpenAsync(token);
                await using var transaction = connection.BeginTransaction(deferred: true);
                return await work(connection, transaction, token);
            },
            cancellationToken);

    private string Now() => UtcText.From(_time.GetUtcNow());
}
