using SweepRunner.Core.Files;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace SweepRunner.Reports.Grids;

/// <summary>
/// Renders X/Y comparison sheets in the manner of AUTOMATIC1111's X/Y/Z plot: one row per job, one column per
/// epoch or prompt, labels drawn on the sheet, failed or diverged jobs as blank cells that say why.
/// ImageSharp loads, resizes and composes the images; the text is rasterized by <see cref="GridText"/>.
/// </summary>
public static class ComparisonGridRenderer
{
    internal const string NoImageReason = "no image";

    internal static readonly Rgba32 SheetBackground = new(255, 255, 255, 255);
    internal static readonly Rgba32 LabelText = new(17, 17, 17, 255);
    internal static readonly Rgba32 BlankBackground = new(228, 228, 228, 255);
    internal static readonly Rgba32 BlankText = new(64, 64, 64, 255);

    /// Writes a PNG atomically to outputPath and returns its size. Rows with fewer cells than columns get blank cells.
    public static GridRenderResult Render(ComparisonGridSpec spec, string outputPath, GridLimits? limits = null) =>
        Render(spec, outputPath, limits, wrapOutput: null);

    /// The layout that <see cref="Render(ComparisonGridSpec, string, GridLimits?)"/> would use, without drawing anything.
    public static GridLayout Measure(ComparisonGridSpec spec, GridLimits? limits = null)
    {
        limits ??= new GridLimits();
        Validate(spec, limits);
        return Plan(spec, limits).Layout;
    }

    /// wrapOutput lets tests break the output stream part-way to check that the write is atomic.
    internal static GridRenderResult Render(ComparisonGridSpec spec, string outputPath, GridLimits? limits, Func<Stream, Stream>? wrapOutput)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputPath);
        limits ??= new GridLimits();
        Validate(spec, limits);
        var (layout, cells) = Plan(spec, limits);

        using var sheet = new Image<Rgba32>(layout.Width, layout.Height, SheetBackground);
        DrawLabels(sheet, spec, layout);
        for (var row = 0; row < layout.Rows; row++)
        {
            for (var column = 0; column < layout.Columns; column++)
            {
                DrawCell(sheet, layout, cells[row, column], layout.CellX(column), layout.CellY(row));
            }
        }

        var encoder = new PngEncoder { ColorType = PngColorType.Rgb, BitDepth = PngBitDepth.Bit8 };
        AtomicFile.Write(outputPath, stream =>
        {
            var target = wrapOutput?.Invoke(stream) ?? stream;
            sheet.SaveAsPng(target, encoder);
            target.Flush();
        });

        return new GridRenderResult(Path.GetFullPath(outputPath), layout.Width, layout.Height, layout.CellWidth, layout.CellHeight);
    }

    private static void Validate(ComparisonGridSpec spec, GridLimits limits)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(limits);
        if (spec.Title is null || spec.ColumnAxisName is null)
        {
            throw new ArgumentException("The grid's Title and ColumnAxisName must not be null (use \"\" for none).", nameof(spec));
        }

        if (spec.ColumnLabels is null || spec.ColumnLabels.Count == 0)
        {
            throw new ArgumentException("The grid has no columns: ColumnLabels must name at least one column (an epoch or a prompt).", nameof(spec));
        }

        if (spec.Rows is null || spec.Rows.Count == 0)
        {
            throw new ArgumentException("The grid has no rows: Rows must hold at least one GridRow (one job).", nameof(spec));
        }

        for (var index = 0; index < spec.ColumnLabels.Count; index++)
        {
            if (spec.ColumnLabels[index] is null)
            {
                throw new ArgumentException($"Column label {index + 1} is null; give every column a label.", nameof(spec));
            }
        }

        for (var index = 0; index < spec.Rows.Count; index++)
        {
            var row = spec.Rows[index];
            if (row is null || row.Label is null || row.Cells is null)
            {
                throw new ArgumentException($"Row {index + 1} is null or has no Label or Cells; every row needs a label (\"setting: value\") and a cell list.", nameof(spec));
            }

            if (row.Cells.Count > spec.ColumnLabels.Count)
            {
                throw new ArgumentException(
                    $"Row {index + 1} ('{row.Label}') has {row.Cells.Count} cells but the grid has {spec.ColumnLabels.Count} columns; add column labels or drop cells.",
                    nameof(spec));
            }

            if (row.Cells.Any(cell => cell is null))
            {
                throw new ArgumentException($"Row {index + 1} ('{row.Label}') has a null cell; use new GridCell(null, \"reason\") for a blank one.", nameof(spec));
            }
        }

        if (limits.MaxWidth < 1 || limits.MaxHeight < 1 || limits.MaxCellSize < 1)
        {
            throw new ArgumentOutOfRangeException(
                nameof(limits), limits, "GridLimits.MaxWidth, MaxHeight and MaxCellSize must all be positive.");
        }
    }

    /// What each cell shows: a readable image, or the text of a blank cell.
    private sealed record CellContent(string? ImagePath, string? BlankText);

    private static (GridLayout Layout, CellContent[,] Cells) Plan(ComparisonGridSpec spec, GridLimits limits)
    {
        var rows = spec.Rows.Count;
        var columns = spec.ColumnLabels.Count;
        var cells = new CellContent[rows, columns];
        var probed = new Dictionary<string, (Size? Size, string? Problem)>(StringComparer.Ordinal);
        var sourceWidth = 0;
        var sourceHeight = 0;

        for (var row = 0; row < rows; row++)
        {
            for (var column = 0; column < columns; column++)
            {
                var cell = column < spec.Rows[row].Cells.Count ? spec.Rows[row].Cells[column] : null;
                if (cell?.ImagePath is null)
                {
                    var reason = string.IsNullOrWhiteSpace(cell?.BlankReason) ? NoImageReason : cell.BlankReason;
                    cells[row, column] = new CellContent(null, reason);
                    continue;
                }

                if (!probed.TryGetValue(cell.ImagePath, out var probe))
                {
                    probe = Probe(cell.ImagePath);
                    probed[cell.ImagePath] = probe;
                }

                if (probe.Size is { } size)
                {
                    sourceWidth = Math.Max(sourceWidth, size.Width);
                    sourceHeight = Math.Max(sourceHeight, size.Height);
                    cells[row, column] = new CellContent(cell.ImagePath, null);
                }
                else
                {
                    cells[row, column] = new CellContent(null, probe.Problem);
                }
            }
        }

        if (sourceWidth == 0)
        {
            sourceWidth = sourceHeight = limits.MaxCellSize;
        }

        return (GridLayoutPlanner.Plan(spec, limits, sourceWidth, sourceHeight), cells);
    }

    private static (Size? Size, string? Problem) Probe(string path)
    {
        var name = Path.GetFileName(path);
        if (!File.Exists(path))
        {
            return (null, $"missing image: {name}");
        }

        try
        {
            var info = Image.Identify(path);
            return info is null || info.Width < 1 || info.Height < 1
                ? (null, $"unreadable image: {name}")
                : (new Size(info.Width, info.Height), null);
        }
        catch (Exception exception) when (IsImageReadFailure(exception))
        {
            return (null, $"unreadable image: {name}");
        }
    }

    private static bool IsImageReadFailure(Exception exception) =>
        exception is IOException or UnauthorizedAccessException or ImageFormatException or NotSupportedException
            or SixLabors.ImageSharp.Memory.InvalidMemoryOperationException;

    private static void DrawLabels(Image<Rgba32> sheet, ComparisonGridSpec spec, GridLayout layout)
    {
        var padding = layout.Padding;
        var lineHeight = GridText.LineHeight(layout.FontSize);

        var title = GridText.Wrap(spec.Title, layout.TitleFontSize, layout.Width - (2 * padding), 1);
        Paste(sheet, GridText.Render(title, layout.TitleFontSize, layout.Width, layout.TitleHeight, padding, TextAlignment.Center, LabelText, SheetBackground), 0, 0);

        var headerLines = Math.Max(1, (layout.HeaderHeight - (2 * padding)) / lineHeight);
        var axis = GridText.Wrap(spec.ColumnAxisName, layout.FontSize, layout.LabelWidth - (2 * padding), headerLines);
        Paste(sheet, GridText.Render(axis, layout.FontSize, layout.LabelWidth, layout.HeaderHeight, padding, TextAlignment.Left, LabelText, SheetBackground), 0, layout.HeaderY);

        for (var column = 0; column < layout.Columns; column++)
        {
            var lines = GridText.Wrap(spec.ColumnLabels[column], layout.FontSize, layout.CellWidth - (2 * padding), headerLines);
            Paste(sheet, GridText.Render(lines, layout.FontSize, layout.CellWidth, layout.HeaderHeight, padding, TextAlignment.Center, LabelText, SheetBackground), layout.CellX(column), layout.HeaderY);
        }

        var rowLines = Math.Max(1, (layout.CellHeight - (2 * padding)) / lineHeight);
        for (var row = 0; row < layout.Rows; row++)
        {
            var lines = GridText.Wrap(spec.Rows[row].Label, layout.FontSize, layout.LabelWidth - (2 * padding), rowLines);
            Paste(sheet, GridText.Render(lines, layout.FontSize, layout.LabelWidth, layout.CellHeight, padding, TextAlignment.Left, LabelText, SheetBackground), 0, layout.CellY(row));
        }
    }

    private static void DrawCell(Image<Rgba32> sheet, GridLayout layout, CellContent content, int x, int y)
    {
        if (content.ImagePath is not null)
        {
            Image<Rgba32>? source = null;
            try
            {
                source = Image.Load<Rgba32>(content.ImagePath);
            }
            catch (Exception exception) when (IsImageReadFailure(exception))
            {
                content = new CellContent(null, $"unreadable image: {Path.GetFileName(content.ImagePath)}");
            }

            if (source is not null)
            {
                using (source)
                {
                    DrawImage(sheet, layout, source, x, y);
                }

                return;
            }
        }

        var padding = layout.Padding;
        var maxLines = Math.Max(1, (layout.CellHeight - (2 * padding)) / GridText.LineHeight(layout.FontSize));
        var lines = GridText.Wrap(content.BlankText ?? NoImageReason, layout.FontSize, layout.CellWidth - (2 * padding), maxLines);
        Paste(sheet, GridText.Render(lines, layout.FontSize, layout.CellWidth, layout.CellHeight, padding, TextAlignment.Center, BlankText, BlankBackground), x, y);
    }

    /// Fits the image into the cell keeping its aspect ratio, centred.
    private static void DrawImage(Image<Rgba32> sheet, GridLayout layout, Image<Rgba32> source, int x, int y)
    {
        var scale = Math.Min(layout.CellWidth / (double)source.Width, layout.CellHeight / (double)source.Height);
        var width = Math.Clamp((int)Math.Round(source.Width * scale), 1, layout.CellWidth);
        var height = Math.Clamp((int)Math.Round(source.Height * scale), 1, layout.CellHeight);
        if (width != source.Width || height != source.Height)
        {
            source.Mutate(context => context.Resize(width, height, KnownResamplers.Bicubic));
        }

        var offsetX = x + ((layout.CellWidth - width) / 2);
        var offsetY = y + ((layout.CellHeight - height) / 2);
        sheet.Mutate(context => context.DrawImage(source, new Point(offsetX, offsetY), 1f));
    }

    private static void Paste(Image<Rgba32> sheet, Image<Rgba32> piece, int x, int y)
    {
        using (piece)
        {
            sheet.Mutate(context => context.DrawImage(piece, new Point(x, y), 1f));
        }
    }
}
