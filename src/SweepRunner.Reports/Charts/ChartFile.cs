namespace SweepRunner.Reports.Charts;

/// <summary>A chart written as a PNG and an SVG of the same size.</summary>
public sealed record ChartFile(string PngPath, string SvgPath, int Width, int Height);
