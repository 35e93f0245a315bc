using SweepRunner.Core.Results;

namespace SweepRunner.Store.Errors;

/// <summary>The database was written by a newer SweepRunner; this one leaves it untouched.</summary>
public sealed class DatabaseTooNewException : ResultsStoreException
{
    public DatabaseTooNewException(string databasePath, int databaseVersion, int supportedVersion)
        : base($"{databasePath}: the results database has schema version {databaseVersion}, but this SweepRunner supports " +
               $"versions up to {supportedVersion}. It was written by a newer SweepRunner; upgrade SweepRunner to open it. " +
               "The file was not changed.")
    {
        DatabasePath = databasePath;
        DatabaseVersion = databaseVersion;
        SupportedVersion = supportedVersion;
    }

    public string DatabasePath { get; }

    public int DatabaseVersion { get; }

    public int SupportedVersion { get; }
}
