using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SweepRunner.Reports.Grids;

namespace SweepRunner.Reports.Tests.Grids;

/// Makes source images and reads pixels of rendered sheets.
internal static class GridImages
{
    /// Saturated colours, far from the greys of the sheet, its text and its blank cells.
    public static readonly Rgba32[] Palette =
    [
        new(220, 20, 20, 255), new(20, 200, 40, 255), new(30, 60, 220, 255), new(240, 200, 0, 255),
        new(200, 0, 200, 255), new(0, 200, 200, 255), new(250, 120, 0, 255), new(120, 0, 250, 255),
        new(0, 120, 60, 255), new(140, 70, 0, 255), new(255, 0, 120, 255), new(90, 160, 0, 255),
    ];

    public static string SolidPng(string path, Rgba32 colour, int width, int height)
    {
        using var image = new Image<Rgba32>(width, height, colour);
        image.SaveAsPng(path);
        return path;
    }

    public static Image<Rgba32> Load(string path) => Image.Load<Rgba32>(path);

    public static bool Near(Rgba32 a, Rgba32 b, int tolerance = 6) =>
        Math.Abs(a.R - b.R) <= tolerance && Math.Abs(a.G - b.G) <= tolerance && Math.Abs(a.B - b.B) <= tolerance;

    public static int CountPixels(Image<Rgba32> image, Rectangle area, Func<Rgba32, bool> predicate)
    {
        var count = 0;
        for (var y = area.Top; y < area.Bottom; y++)
        {
            for (var x = area.Left; x < area.Right; x++)
            {
                if (predicate(image[x, y]))
                {
                    count++;
                }
            }
        }

        return count;
    }

    /// Text pixels: clearly darker than both the sheet and the blank-cell backgrounds, and grey (text is drawn in grey).
    public static bool IsDarkText(Rgba32 pixel) =>
        Math.Max(pixel.R, Math.Max(pixel.G, pixel.B)) < 160 && Math.Max(pixel.R, Math.Max(pixel.G, pixel.B)) - Math.Min(pixel.R, Math.Min(pixel.G, pixel.B)) < 8;

    public static Rectangle Cell(GridLayout layout, int row, int column) =>
        new(layout.CellX(column), layout.CellY(row), layout.CellWidth, layout.CellHeight);

    public static Rectangle RowLabel(GridLayout layout, int row) => new(0, layout.CellY(row), layout.LabelWidth, layout.CellHeight);

    public static Rectangle ColumnLabel(GridLayout layout, int column) => new(layout.CellX(column), layout.HeaderY, layout.CellWidth, layout.HeaderHeight);

    public static Rectangle Title(GridLayout layout) => new(0, 0, layout.Width, layout.TitleHeight);

    public static Rectangle Corner(GridLayout layout) => new(0, layout.HeaderY, layout.LabelWidth, layout.HeaderHeight);
}
