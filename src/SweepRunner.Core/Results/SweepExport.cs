namespace SweepRunner.Core.Results;

/// <summary>Everything an export of one sweep holds: one row per job label, in plan order.</summary>
public sealed record SweepExport(string SweepName, DateTimeOffset ExportedAt, IReadOnlyList<ExportRow> Rows);
