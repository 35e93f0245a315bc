namespace SweepRunner.Reports.Grids;

/// A cell shows the image at ImagePath, or, when ImagePath is null, a blank cell with BlankReason written in it.
public sealed record GridCell(string? ImagePath, string? BlankReason = null);

/// One row of the sheet: usually the jobs of one setting, labelled "setting: value".
public sealed record GridRow(string Label, IReadOnlyList<GridCell> Cells);

/// What the sheet shows: a title, the name of the column axis (e.g. "epoch" or "prompt"), the column labels and the rows.
public sealed record ComparisonGridSpec(string Title, string ColumnAxisName, IReadOnlyList<string> ColumnLabels, IReadOnlyList<GridRow> Rows);

/// Caps: the whole sheet never exceeds MaxWidth x MaxHeight pixels; cells are scaled down (never up beyond MaxCellSize) to fit.
public sealed record GridLimits(int MaxWidth = 4096, int MaxHeight = 4096, int MaxCellSize = 512);

/// The PNG that was written and its size in pixels, with the size of one cell.
public sealed record GridRenderResult(string Path, int Width, int Height, int CellWidth, int CellHeight);
