using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SweepRunner.Reports.Html;
using SweepRunner.Reports.Tests.Support;

namespace SweepRunner.Reports.Tests.Html;

/// <summary>The grids' no-LoRA reference row, and what an hour of training is called.</summary>
public sealed class ReportReferenceRowTests
{
    private static readonly DateTimeOffset GeneratedAt = new(2025, 3, 2, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task With_previews_before_training_each_grid_starts_with_a_no_lora_row_and_drops_the_repeated_epoch_0_column()
    {
        using var folder = new TemporaryFolder();
        var results = Path.Combine(folder.Path, "results");
        var store = await StudyStore.CreateAsync(results, sampleAtFirst: true);

        var report = SweepReportWriter.Write(await store.GetSweepReportDataAsync(StudyStore.SweepName), results, Path.Combine(folder.Path, "r"), GeneratedAt);

        // network_alpha: base, alpha-1 and alpha-64 all have the same epoch-0 image, so the grid shows epochs 1 and 2 and
        // the no-LoRA image once per column in its first row: 2 cells, not 2 + 3.
        using var grid = Image.Load<Rgba32>(Path.Combine(report.Folder, "grids/network-alpha.png"));
        var (cells, cellWidth, cellHeight, firstRowTop) = NoLoraCells(grid);
        Assert.Equal(2, cells);
        Assert.Equal(cellWidth, cellHeight);
        var firstJobCell = Enumerable.Range(firstRowTop + cellHeight, grid.Height - firstRowTop - cellHeight)
            .Any(y => Enumerable.Range(0, grid.Width).Any(x => IsRed(grid[x, y])));
        Assert.True(firstJobCell, "the baseline's previews follow the reference row");
        var html = File.ReadAllText(report.IndexPath);
        Assert.Contains("The first row is the base model without a LoRA: base's preview before training", System.Net.WebUtility.HtmlDecode(html), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_previews_before_training_the_grid_has_no_reference_row_and_says_how_to_get_one()
    {
        using var folder = new TemporaryFolder();
        var results = Path.Combine(folder.Path, "results");
        var store = await StudyStore.CreateAsync(results);

        var report = SweepReportWriter.Write(await store.GetSweepReportDataAsync(StudyStore.SweepName), results, Path.Combine(folder.Path, "r"), GeneratedAt);

        using var grid = Image.Load<Rgba32>(Path.Combine(report.Folder, "grids/network-alpha.png"));
        Assert.Equal(0, NoLoraCells(grid).Cells);
        Assert.Contains("set sample_at_first: true", File.ReadAllText(report.IndexPath), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cpu", "CPU hour")]
    [InlineData("cuda:0", "GPU hour")]
    public async Task The_score_per_hour_names_the_device_the_jobs_trained_on(string device, string hour)
    {
        using var folder = new TemporaryFolder();
        var results = Path.Combine(folder.Path, "results");
        var store = await StudyStore.CreateAsync(results, device: device);

        var report = SweepReportWriter.Write(await store.GetSweepReportDataAsync(StudyStore.SweepName), results, Path.Combine(folder.Path, "r"), GeneratedAt);

        var html = File.ReadAllText(report.IndexPath);
        Assert.Contains($"<h3>Best jobs by score per {hour}</h3>", html, StringComparison.Ordinal);
        Assert.Contains($"<th>score per {hour}</th>", html, StringComparison.Ordinal);
        if (device == "cpu")
        {
            Assert.DoesNotContain("GPU hour", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Mixed_or_unknown_devices_are_hours_of_training()
    {
        Assert.Equal("GPU hour", TrainingHour.Name(["cuda:0", "cuda:1", null]));
        Assert.Equal("CPU hour", TrainingHour.Name(["cpu"]));
        Assert.Equal("hour of training", TrainingHour.Name(["cpu", "cuda:0"]));
        Assert.Equal("hour of training", TrainingHour.Name(["mps"]));
        Assert.Equal("hour of training", TrainingHour.Name([]));
    }

    private static bool IsRed(Rgba32 pixel) => pixel.R > 180 && pixel.G < 90 && pixel.B < 90;

    private static bool IsNoLora(Rgba32 pixel) =>
        Math.Abs(pixel.R - StudyStore.NoLoraColour.R) <= 6 && pixel.G <= 6 && Math.Abs(pixel.B - StudyStore.NoLoraColour.B) <= 6;

    /// <summary>How many cells show the solid no-LoRA image, with the size of one and the top of the first.</summary>
    private static (int Cells, int CellWidth, int CellHeight, int Top) NoLoraCells(Image<Rgba32> grid)
    {
        var count = 0;
        (int X, int Y)? first = null;
        for (var y = 0; y < grid.Height; y++)
        {
            for (var x = 0; x < grid.Width; x++)
            {
                if (IsNoLora(grid[x, y]))
                {
                    count++;
                    first ??= (x, y);
                }
            }
        }

        if (first is not var (fx, fy))
        {
            return (0, 0, 0, 0);
        }

        var width = 0;
        while (fx + width < grid.Width && IsNoLora(grid[fx + width, fy])) width++;
        var height = 0;
        while (fy + height < grid.Height && IsNoLora(grid[fx, fy + height])) height++;
        Assert.Equal(0, count % (width * height));
        return (count / (width * height), width, height, fy);
    }
}
