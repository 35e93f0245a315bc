using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SweepRunner.Reports.Grids;
using SweepRunner.Reports.Tests.Support;

namespace SweepRunner.Reports.Tests.Grids;

public sealed class ComparisonGridRendererTests : IDisposable
{
    private const int SourceSize = 128;
    private static readonly string[] Epochs = ["1", "2", "3", "4"];
    private static readonly string[] RowLabels = ["learning_rate: 1e-4", "learning_rate: 5e-4", "learning_rate: 1e-3"];

    private readonly TemporaryFolder folder = new();

    public void Dispose() => folder.Dispose();

    /// Three jobs by four epochs, each cell a solid PNG of its own palette colour.
    private ComparisonGridSpec ThreeByFour()
    {
        var rows = new List<GridRow>();
        for (var row = 0; row < 3; row++)
        {
            var cells = new List<GridCell>();
            for (var column = 0; column < 4; column++)
            {
                var path = GridImages.SolidPng(folder.File($"r{row}c{column}.png"), GridImages.Palette[(row * 4) + column], SourceSize, SourceSize);
                cells.Add(new GridCell(path));
            }

            rows.Add(new GridRow(RowLabels[row], cells));
        }

        return new ComparisonGridSpec("lr sweep, seed 42", "epoch", Epochs, rows);
    }

    [Fact]
    public void A_three_by_four_grid_has_the_computed_size_and_each_cell_shows_its_source_colour()
    {
        var spec = ThreeByFour();
        var output = folder.File("grid.png");

        var result = ComparisonGridRenderer.Render(spec, output);
        var layout = ComparisonGridRenderer.Measure(spec);

        Assert.Equal(Path.GetFullPath(output), result.Path);
        Assert.Equal((SourceSize, SourceSize), (result.CellWidth, result.CellHeight));
        Assert.Equal((layout.Width, layout.Height), (result.Width, result.Height));
        Assert.Equal(layout.LabelWidth + layout.Gap + (4 * (SourceSize + layout.Gap)), result.Width);
        Assert.Equal(layout.TitleHeight + layout.HeaderHeight + layout.Gap + (3 * (SourceSize + layout.Gap)), result.Height);

        using var sheet = GridImages.Load(output);
        Assert.Equal((result.Width, result.Height), (sheet.Width, sheet.Height));
        for (var row = 0; row < 3; row++)
        {
            for (var column = 0; column < 4; column++)
            {
                var cell = GridImages.Cell(layout, row, column);
                var centre = sheet[cell.X + (cell.Width / 2), cell.Y + (cell.Height / 2)];
                Assert.True(GridImages.Near(centre, GridImages.Palette[(row * 4) + column], 0), $"cell ({row},{column}) centre is {centre}");
                Assert.True(GridImages.Near(sheet[cell.X + 1, cell.Y + 1], GridImages.Palette[(row * 4) + column], 0), $"cell ({row},{column}) corner");
            }
        }
    }

    [Fact]
    public void The_title_header_and_row_labels_are_drawn_as_dark_text()
    {
        var spec = ThreeByFour();
        var output = folder.File("grid.png");
        ComparisonGridRenderer.Render(spec, output);
        var layout = ComparisonGridRenderer.Measure(spec);

        using var sheet = GridImages.Load(output);
        Assert.True(GridImages.CountPixels(sheet, GridImages.Title(layout), GridImages.IsDarkText) > 30, "title");
        Assert.True(GridImages.CountPixels(sheet, GridImages.Corner(layout), GridImages.IsDarkText) > 15, "column axis name");
        for (var column = 0; column < 4; column++)
        {
            Assert.True(GridImages.CountPixels(sheet, GridImages.ColumnLabel(layout, column), GridImages.IsDarkText) > 5, $"column {column} label");
        }

        for (var row = 0; row < 3; row++)
        {
            Assert.True(GridImages.CountPixels(sheet, GridImages.RowLabel(layout, row), GridImages.IsDarkText) > 40, $"row {row} label");
        }

        // The gap between the header and the first row is background only.
        Assert.Equal(0, GridImages.CountPixels(sheet, new Rectangle(0, layout.CellY(0) - layout.Gap, layout.Width, layout.Gap), GridImages.IsDarkText));
    }

    [Fact]
    public void A_failed_job_gets_blank_cells_with_the_reason_written_and_no_source_colour()
    {
        var spec = ThreeByFour();
        var failed = new GridRow("learning_rate: 1e-2", Epochs.Select(_ => new GridCell(null, "diverged at epoch 2: loss is NaN")).ToList());
        spec = spec with { Rows = [.. spec.Rows, failed] };
        var output = folder.File("grid.png");

        ComparisonGridRenderer.Render(spec, output);
        var layout = ComparisonGridRenderer.Measure(spec);

        using var sheet = GridImages.Load(output);
        for (var column = 0; column < 4; column++)
        {
            var cell = GridImages.Cell(layout, 3, column);
            Assert.True(GridImages.CountPixels(sheet, cell, GridImages.IsDarkText) > 40, $"blank cell {column} has no text");
            Assert.Equal(0, GridImages.CountPixels(sheet, cell, pixel => GridImages.Palette.Any(colour => GridImages.Near(pixel, colour, 40))));
            Assert.Equal(ComparisonGridRenderer.BlankBackground, sheet[cell.X + 1, cell.Y + 1]);
        }
    }

    [Fact]
    public void A_short_row_and_a_missing_or_unreadable_file_give_blank_cells_instead_of_an_exception()
    {
        var good = GridImages.SolidPng(folder.File("good.png"), GridImages.Palette[0], SourceSize, SourceSize);
        var garbage = folder.File("garbage.png");
        File.WriteAllText(garbage, "this is not a PNG");
        var spec = new ComparisonGridSpec(
            "problems", "epoch", Epochs,
            [
                new GridRow("network_dim: 8", [new GridCell(good), new GridCell(folder.File("nowhere.png")), new GridCell(garbage)]),
            ]);
        var output = folder.File("grid.png");

        var result = ComparisonGridRenderer.Render(spec, output);
        var layout = ComparisonGridRenderer.Measure(spec);

        Assert.Equal(SourceSize, result.CellWidth);
        using var sheet = GridImages.Load(output);
        Assert.True(GridImages.Near(sheet[layout.CellX(0) + (SourceSize / 2), layout.CellY(0) + (SourceSize / 2)], GridImages.Palette[0], 0));
        for (var column = 1; column < 4; column++)
        {
            var cell = GridImages.Cell(layout, 0, column);
            Assert.True(GridImages.CountPixels(sheet, cell, GridImages.IsDarkText) > 20, $"cell {column} says nothing");
            Assert.Equal(ComparisonGridRenderer.BlankBackground, sheet[cell.X + 1, cell.Y + 1]);
        }
    }

    [Fact]
    public void The_caps_shrink_a_huge_grid_and_keep_square_cells_square()
    {
        var columns = Enumerable.Range(0, 10)
            .Select(column => GridImages.SolidPng(folder.File($"big{column}.png"), GridImages.Palette[column], 512, 512))
            .ToList();
        var rows = Enumerable.Range(0, 20)
            .Select(row => new GridRow($"network_alpha: {row + 1}", columns.Select(path => new GridCell(path)).ToList()))
            .ToList();
        var spec = new ComparisonGridSpec("twenty by ten", "epoch", Enumerable.Range(1, 10).Select(epoch => $"{epoch}").ToList(), rows);
        var limits = new GridLimits(MaxWidth: 2048, MaxHeight: 2048);
        var output = folder.File("big.png");

        var result = ComparisonGridRenderer.Render(spec, output, limits);

        Assert.True(result.Width <= 2048 && result.Height <= 2048, $"{result.Width}x{result.Height}");
        Assert.Equal(result.CellWidth, result.CellHeight);
        Assert.InRange(result.CellWidth, 16, 511);
        // As large as the caps allow: one more pixel per cell would not fit the height (20 rows is the tight side).
        Assert.True(result.Height + 20 > 2048, $"height {result.Height} leaves room for larger cells");

        var info = Image.Identify(output);
        Assert.Equal((result.Width, result.Height), (info.Width, info.Height));
        var layout = ComparisonGridRenderer.Measure(spec, limits);
        using var sheet = GridImages.Load(output);
        var last = GridImages.Cell(layout, 19, 9);
        Assert.True(GridImages.Near(sheet[last.X + (last.Width / 2), last.Y + (last.Height / 2)], GridImages.Palette[9], 0));
    }

    [Fact]
    public void Cells_take_the_largest_source_size_capped_at_MaxCellSize_and_other_sizes_fit_keeping_their_aspect()
    {
        var square = GridImages.SolidPng(folder.File("square.png"), GridImages.Palette[0], 200, 200);
        var wide = GridImages.SolidPng(folder.File("wide.png"), GridImages.Palette[1], 100, 50);
        var spec = new ComparisonGridSpec("sizes", "prompt", ["a photo of sks person", "sks person, oil painting"],
            [new GridRow("clip_skip: 2", [new GridCell(square), new GridCell(wide)])]);

        var uncapped = ComparisonGridRenderer.Render(spec, folder.File("uncapped.png"));
        Assert.Equal((200, 200), (uncapped.CellWidth, uncapped.CellHeight));

        var capped = ComparisonGridRenderer.Render(spec, folder.File("capped.png"), new GridLimits(MaxCellSize: 160));
        Assert.Equal((160, 160), (capped.CellWidth, capped.CellHeight));

        var layout = ComparisonGridRenderer.Measure(spec);
        using var sheet = GridImages.Load(folder.File("uncapped.png"));
        var cell = GridImages.Cell(layout, 0, 1);
        // The 2:1 image fills the width and half the height, centred: rows 50..150 of the cell.
        Assert.True(GridImages.Near(sheet[cell.X + 100, cell.Y + 100], GridImages.Palette[1], 0));
        Assert.True(GridImages.Near(sheet[cell.X + 2, cell.Y + 100], GridImages.Palette[1], 0));
        Assert.Equal(ComparisonGridRenderer.SheetBackground, sheet[cell.X + 100, cell.Y + 20]);
        Assert.Equal(ComparisonGridRenderer.SheetBackground, sheet[cell.X + 100, cell.Y + 180]);
    }

    [Fact]
    public void Very_long_labels_are_wrapped_inside_their_areas()
    {
        var spec = ThreeByFour() with
        {
            Title = string.Concat(Enumerable.Repeat("a very long sweep title ", 40)),
            ColumnLabels = Epochs.Select(epoch => $"masterpiece, best quality, a photo of sks person standing in a field, epoch {epoch}").ToList(),
        };
        spec = spec with { Rows = [.. spec.Rows.Select(row => row with { Label = row.Label + " optimizer_type: AdamW8bit lr_scheduler: cosine_with_restarts " + new string('x', 80) })] };

        var result = ComparisonGridRenderer.Render(spec, folder.File("long.png"));
        var layout = ComparisonGridRenderer.Measure(spec);

        Assert.True(layout.LabelWidth <= Math.Max(layout.CellWidth, (int)(10 * layout.FontSize)));
        using var sheet = GridImages.Load(result.Path);
        // Label text stays out of the cells: each cell is still its colour at every corner.
        for (var row = 0; row < 3; row++)
        {
            var cell = GridImages.Cell(layout, row, 0);
            Assert.True(GridImages.Near(sheet[cell.X, cell.Y], GridImages.Palette[row * 4], 0));
            Assert.True(GridImages.Near(sheet[cell.X, cell.Bottom - 1], GridImages.Palette[row * 4], 0));
        }
    }

    [Theory]
    [InlineData("rows")]
    [InlineData("columns")]
    [InlineData("cells")]
    public void A_grid_without_rows_or_columns_or_with_too_many_cells_is_rejected(string problem)
    {
        var spec = problem switch
        {
            "rows" => new ComparisonGridSpec("t", "epoch", Epochs, []),
            "columns" => new ComparisonGridSpec("t", "epoch", [], [new GridRow("dim: 8", [])]),
            _ => new ComparisonGridSpec("t", "epoch", ["1"], [new GridRow("dim: 8", [new GridCell(null), new GridCell(null)])]),
        };

        var error = Assert.Throws<ArgumentException>(() => ComparisonGridRenderer.Render(spec, folder.File("x.png")));

        Assert.Contains(problem == "cells" ? "has 2 cells but the grid has 1 columns" : $"no {problem}", error.Message);
        Assert.False(File.Exists(folder.File("x.png")));
    }

    [Fact]
    public void Caps_too_small_for_the_grid_are_rejected_with_advice()
    {
        var spec = ThreeByFour();
        var error = Assert.Throws<ArgumentException>(() => ComparisonGridRenderer.Render(spec, folder.File("x.png"), new GridLimits(MaxWidth: 100, MaxHeight: 100)));
        Assert.Contains("does not fit in 100x100", error.Message);
    }

    [Fact]
    public void The_write_is_atomic_no_temporary_file_is_left_and_a_failed_render_keeps_the_previous_file()
    {
        var spec = ThreeByFour();
        var output = folder.File("grid.png");
        ComparisonGridRenderer.Render(spec, output);
        var before = File.ReadAllBytes(output);
        Assert.Equal(["grid.png"], Directory.GetFiles(folder.Path, "*grid*").Select(Path.GetFileName));

        // Fails before writing: invalid spec, caps too small.
        Assert.Throws<ArgumentException>(() => ComparisonGridRenderer.Render(spec with { Rows = [] }, output));
        Assert.Throws<ArgumentException>(() => ComparisonGridRenderer.Render(spec, output, new GridLimits(50, 50)));
        // Fails part-way through writing the PNG.
        var changed = spec with { Title = "another title" };
        Assert.Throws<IOException>(() => ComparisonGridRenderer.Render(changed, output, null, stream => new FailingStream(stream, failAfterBytes: 500)));

        Assert.Equal(before, File.ReadAllBytes(output));
        Assert.Equal(["grid.png"], Directory.GetFiles(folder.Path, "*grid*").Select(Path.GetFileName));
    }

    [Fact]
    public void The_same_input_gives_byte_identical_output()
    {
        var spec = ThreeByFour() with { Rows = [.. ThreeByFour().Rows, new GridRow("learning_rate: 1e-2", [new GridCell(null, "out of memory")])] };

        ComparisonGridRenderer.Render(spec, folder.File("first.png"));
        ComparisonGridRenderer.Render(spec, folder.File("second.png"));

        Assert.Equal(File.ReadAllBytes(folder.File("first.png")), File.ReadAllBytes(folder.File("second.png")));
    }

    /// Passes writes through until a number of bytes, then fails as a full disk would.
    private sealed class FailingStream(Stream inner, int failAfterBytes) : Stream
    {
        private int written;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (written + buffer.Length > failAfterBytes)
            {
                throw new IOException("No space left on device (test)");
            }

            written += buffer.Length;
            inner.Write(buffer);
        }

        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
