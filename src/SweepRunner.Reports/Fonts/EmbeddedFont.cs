using SkiaSharp;

namespace SweepRunner.Reports.Fonts;

/// <summary>
/// DejaVu Sans, embedded in this assembly and loaded once: the fontconfig-free native Skia finds no system fonts,
/// and one embedded face makes charts and grids render the same on every machine.
/// </summary>
internal static class EmbeddedFont
{
    public const string Family = "DejaVu Sans";
    private const string ResourceName = "SweepRunner.Reports.Fonts.DejaVuSans.ttf";

    private static readonly Lazy<SKTypeface> Face = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    public static SKTypeface Typeface => Face.Value;

    private static SKTypeface Load()
    {
        using var stream = typeof(EmbeddedFont).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The font resource '{ResourceName}' is missing from {typeof(EmbeddedFont).Assembly.GetName().Name}; the build must embed Fonts/DejaVuSans.ttf.");
        using var data = SKData.Create(stream);
        return SKTypeface.FromData(data) ?? throw new InvalidOperationException($"Skia could not read the embedded font '{ResourceName}'.");
    }
}
