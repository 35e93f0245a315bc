using ScottPlot;
using SkiaSharp;
using SweepRunner.Reports.Fonts;

namespace SweepRunner.Reports.Charts;

/// <summary>
/// Makes charts draw their text with the embedded DejaVu Sans, so they render the same on a machine without
/// system fonts (the NoDependencies Skia build has no fontconfig and would otherwise draw no text).
/// </summary>
public static class ChartFonts
{
    public const string Family = EmbeddedFont.Family;

    private static readonly object Gate = new();
    private static bool _registered;

    /// <summary>Registers the font with ScottPlot once per process and makes it the default.</summary>
    public static void EnsureRegistered()
    {
        lock (Gate)
        {
            if (_registered)
            {
                return;
            }

            ScottPlot.Fonts.FontResolvers.Insert(0, new EmbeddedFontResolver());
            ScottPlot.Fonts.Default = Family;
            _registered = true;
        }
    }

    /// <summary>Answers every font name with the embedded face: charts then look the same everywhere.</summary>
    private sealed class EmbeddedFontResolver : IFontResolver
    {
        public SKTypeface? CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing width) => EmbeddedFont.Typeface;

        public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic) => EmbeddedFont.Typeface;
    }
}
