using System.Xml;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace SweepRunner.Reports.Tests.Charts;

/// <summary>Reads a chart back: its size, how many colours it uses, and where it is not white.</summary>
internal static class ChartImages
{
    public sealed record Stats(int Width, int Height, int DistinctColours, double InkFraction, double TitleInkFraction);

    public static Stats Read(string pngPath)
    {
        using var image = Image.Load<Rgba32>(pngPath);
        var colours = new HashSet<uint>();
        long ink = 0;
        long titleInk = 0;
        var titleRows = image.Height / 12;
        image.ProcessPixelRows(accessor =>
        {
            for (var y = 0; y < accessor.Height; y++)
            {
                var row = accessor.GetRowSpan(y);
                foreach (var pixel in row)
                {
                    colours.Add(pixel.PackedValue);
                    if (pixel.R < 200 || pixel.G < 200 || pixel.B < 200)
                    {
                        ink++;
                        if (y < titleRows)
                        {
                            titleInk++;
                        }
                    }
                }
            }
        });
        return new Stats(image.Width, image.Height, colours.Count, (double)ink / (image.Width * image.Height), (double)titleInk / (image.Width * titleRows));
    }

    public static XmlDocument ReadSvg(string svgPath)
    {
        var document = new XmlDocument { XmlResolver = null };
        using var reader = XmlReader.Create(svgPath, new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore });
        document.Load(reader);
        return document;
    }
}
