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
        // Cells are sized by their longer side: never larger than the largest source image, nor than MaxCellSize.
        double longSource = Math.Max(sourceWidth, sourceHeight);
        var largest = Math.Max(1, Math.Min(limits.MaxCellSize, (int)longSource));
        var columns = spec.ColumnLabels.Count;
        var rows = spec.Rows.Count;

        (int Width, int Height) CellFor(int longSide) =>
            (Math.Max(1, (int)Math.Floor((sourceWidth * longSide / longSource) + 1e-9)),
             Math.Max(1, (int)Math.Floor((sourceHeight * longSide / longSource) + 1e-9)));

        GridLayout? LayoutFor(int longSide)
        {
            var (width, height) = CellFor(longSide);
            if (Math.Min(width, height) < MinimumCellSize)
            {
                throw new ArgumentException(
                    $"A grid of {rows} row(s) x {columns} column(s) does not fit in {limits.MaxWidth}x{limits.MaxHeight} pixels: " +
                    $"its cells would be smaller than {MinimumCellSize} pixels. Raise GridLimits.MaxWidth/MaxHeight or split the grid into several sheets.",
                    nameof(limits));
            }

            var layout = Measure(spec, width, height);
            return layout.Width <= limits.MaxWidth && layout.Height <= limits.MaxHeight ? layout : null;
        }

        if (LayoutFor(largest) is { } full)
        {
            return full;
        }

        // Step down: give the cells what the bands of the last try leave over (the bands shrink with the font,
        // so this lands at or below the answer in a few steps), at least one pixel less each time.
        var tooLarge = largest;
        var longSide = largest;
        GridLayout? fitting = null;
        while (fitting is null)
        {
            var (width, height) = CellFor(longSide);
            var over = Measure(spec, width, height);
            var spareWidth = (limits.MaxWidth - (over.Width - (columns * width))) / (double)columns;
            var spareHeight = (limits.MaxHeight - (over.Height - (rows * height))) / (double)rows;
            var scale = Math.Min(spareWidth / width, spareHeight / height);
            tooLarge = longSide;
            longSide = Math.Min(longSide - 1, (int)Math.Floor(longSide * scale));
            fitting = LayoutFor(Math.Max(0, longSide));
        }

        // Then the largest size between the one that fits and the last one that did not.
        var fits = longSide;
        while (tooLarge - fits > 1)
        {
            var middle = fits + ((tooLarge - fits) / 2);
            if (LayoutFor(middle) is { } better)
            {
                fits = middle;
                fitting = better;
            }
            else
            {
                tooLarge = middle;
            }
        }

        return fitting;
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
}
