namespace SweepRunner.Store.Migrations;

/// <summary>What opening the database did to its schema.</summary>
/// <param name="BackupPath">The copy made before migrating, or null when nothing was migrated or the database was empty.</param>
public sealed record MigrationReport(int VersionBefore, int VersionAfter, string? BackupPath);
