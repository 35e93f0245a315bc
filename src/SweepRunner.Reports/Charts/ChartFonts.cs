using System.Reflection;
using ScottPlot;
using SkiaSharp;

namespace SweepRunner.Reports.Charts;

/// <summary>
/// Makes charts draw their text with the embedded DejaVu Sans, so they render the same on a machine without
/// system fonts (the NoDependencies Skia build has no fontconfig and would otherwise draw no text).
/// </summary>
public static class ChartFonts
{
    public const string Family = "DejaVu Sans";
    private const string ResourceName = "SweepRunner.Reports.Fonts.DejaVuSans.ttf";

    private static readonly Lazy<SKTypeface> Typeface = new(LoadTypeface);
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

            Fonts.FontResolvers.Insert(0, new EmbeddedFontResolver());
            Fonts.Default = Family;
            _registered = true;
        }
    }

    private static SKTypeface LoadTypeface()
    {
        using var stream = typeof(ChartFonts).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"{ResourceName} is not embedded in {typeof(ChartFonts).Assembly.GetName().Name}; the build is broken");
        using var data = SKData.Create(stream);
        return SKTypeface.FromData(data) ?? throw new InvalidOperationException($"{ResourceName} is not a font Skia can read");
    }

    /// <summary>Answers every font name with the embedded face: charts then look the same everywhere.</summary>
    private sealed class EmbeddedFontResolver : IFontResolver
    {
        public SKTypeface? CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing width) => Typeface.Value;

        public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic) => Typeface.Value;
    }
}
