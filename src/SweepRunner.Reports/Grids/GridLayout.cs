namespace SweepRunner.Reports.Grids;

/// <summary>
/// Where everything goes on a sheet, in pixels: a title band across the top, then a header row (the column axis
/// name in the corner, then one label per column), then one row per job with its label on the left. Cells are
/// separated and surrounded by <see cref="Gap"/> pixels of background.
/// </summary>
public sealed record GridLayout(
    int Width,
    int Height,
    int CellWidth,
    int CellHeight,
    int Columns,
    int Rows,
    int TitleHeight,
    int HeaderHeight,
    int LabelWidth,
    int Gap,
    int Padding,
    float FontSize,
    float TitleFontSize)
{
    public int CellX(int column) => LabelWidth + Gap + (column * (CellWidth + Gap));

    public int CellY(int row) => TitleHeight + HeaderHeight + Gap + (row * (CellHeight + Gap));

    public int HeaderY => TitleHeight;
}

/// Chooses the cell size and the size of the label bands so that the sheet fits the caps.
internal static class GridLayoutPlanner
{
    public const int Gap = 4;
    public const int MinimumCellSize = 16;
    private const int MaxHeaderLines = 3;

    /// Font size for labels: a sixteenth of the cell's shorter side, between 10 and 24 pixels.
    public static float FontSizeFor(int cellWidth, int cellHeight) => Math.Clamp(MathF.Round(Math.Min(cellWidth, cellHeight) / 16f), 10f, 24f);

    public static GridLayout Plan(ComparisonGridSpec spec, GridLimits limits, int sourceWidth, int sourceHeight)
    {
        // Never larger than the largest source image, nor than MaxCellSize on its longer side.
        var capScale = Math.Min(1.0, limits.MaxCellSize / (double)Math.Max(sourceWidth, sourceHeight));
        var baseWidth = sourceWidth * capScale;
        var baseHeight = sourceHeight * capScale;
        var columns = spec.ColumnLabels.Count;
        var rows = spec.Rows.Count;

        var scale = 1.0;
        for (var attempt = 0; ; attempt++)
        {
            var cellWidth = Math.Max(1, (int)Math.Floor((baseWidth * scale) + 1e-9));
            var cellHeight = Math.Max(1, (int)Math.Floor((baseHeight * scale) + 1e-9));
            if (Math.Min(cellWidth, cellHeight) < MinimumCellSize)
            {
                throw new ArgumentException(
                    $"A grid of {rows} row(s) x {columns} column(s) does not fit in {limits.MaxWidth}x{limits.MaxHeight} pixels: " +
                    $"its cells would be smaller than {MinimumCellSize} pixels. Raise GridLimits.MaxWidth/MaxHeight or split the grid into several sheets.",
                    nameof(limits));
            }

            var layout = Measure(spec, cellWidth, cellHeight);
            if (layout.Width <= limits.MaxWidth && layout.Height <= limits.MaxHeight)
            {
                return layout;
            }

            // Scale the cells so that what is left after the fixed bands fits; the bands shrink with the font,
            // so this converges from above in a few steps. Always step down by at least one pixel.
            var fixedWidth = layout.Width - (columns * cellWidth);
            var fixedHeight = layout.Height - (rows * cellHeight);
            var fitWidth = (limits.MaxWidth - fixedWidth) / (columns * baseWidth);
            var fitHeight = (limits.MaxHeight - fixedHeight) / (rows * baseHeight);
            var onePixelLess = scale - (1.0 / Math.Max(baseWidth, baseHeight));
            scale = Math.Min(Math.Min(fitWidth, fitHeight), onePixelLess);
            if (scale <= 0 || attempt > 10_000)
            {
                scale = 0;
            }
        }
    }

    /// The layout for cells of the given size.
    public static GridLayout Measure(ComparisonGridSpec spec, int cellWidth, int cellHeight)
    {
        var fontSize = FontSizeFor(cellWidth, cellHeight);
        var titleFontSize = MathF.Round(fontSize * 1.35f);
        var padding = Math.Max(4, (int)(fontSize / 2));
        var lineHeight = GridText.LineHeight(fontSize);
        var titleHeight = GridText.LineHeight(titleFontSize) + (2 * padding);

        var widestLabel = spec.Rows.Select(row => row.Label).Append(spec.ColumnAxisName)
            .Max(label => label.Split('\n').Max(line => GridText.Measure(line, fontSize)));
        var labelWidth = (int)Math.Ceiling(widestLabel) + (2 * padding);
        labelWidth = Math.Clamp(labelWidth, (int)(4 * fontSize), Math.Max(cellWidth, (int)(10 * fontSize)));

        var headerLines = spec.ColumnLabels
            .Select(label => GridText.Wrap(label, fontSize, cellWidth - (2 * padding), MaxHeaderLines).Count)
            .Append(GridText.Wrap(spec.ColumnAxisName, fontSize, labelWidth - (2 * padding), MaxHeaderLines).Count)
            .Max();
        var headerHeight = (headerLines * lineHeight) + (2 * padding);

        var columns = spec.ColumnLabels.Count;
        var rows = spec.Rows.Count;
        var width = labelWidth + Gap + (columns * (cellWidth + Gap));
        var height = titleHeight + headerHeight + Gap + (rows * (cellHeight + Gap));
        return new GridLayout(
            width, height, cellWidth, cellHeight, columns, rows, titleHeight, headerHeight, labelWidth, Gap, padding, fontSize, titleFontSize);
    }

    public static int HeaderLineLimit => MaxHeaderLines;
}
