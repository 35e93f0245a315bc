namespace SweepRunner.DemoBuilder;

/// <summary>A named 8-bit RGB colour.</summary>
public sealed record NamedColour(string Name, byte R, byte G, byte B);

/// <summary>Shapes the demo images show.</summary>
public enum ShapeKind
{
    Circle,
    Square,
    Triangle,
    Ring,
    Cross,
}

/// <summary>How a shape is filled: one colour, diagonal stripes of the colour and its tint, or dots of the colour on its tint.</summary>
public enum ShapeFill
{
    Solid,
    Striped,
    Dotted,
}

/// <summary>
/// Backgrounds of the demo images: three plain tones, a grey-on-white checkerboard, and the four coloured backgrounds
/// of the demo person dataset (<see cref="DemoDatasetGenerator.Backgrounds"/>), so that prompts such as
/// "…, blue background" mean something to the model before any LoRA is trained.
/// </summary>
public enum BackgroundKind
{
    White,
    Black,
    Grey,
    Checkered,
    Blue,
    Green,
    Yellow,
    Purple,
}

/// <summary>
/// The two caption forms: "a red circle on a white background" and "a photo of a red circle, white background",
/// the second shaped like the captions of LoRA datasets ("a photo of sks person, blue background").
/// </summary>
public enum CaptionForm
{
    OnBackground,
    PhotoOf,
}

/// <summary>
/// The words and colours of the demo model's training images and captions, e.g.
/// "a red circle on a white background", "a blue striped square on a checkered background" or
/// "a photo of a green ring, yellow background".
/// </summary>
public static class ShapeVocabulary
{
    /// <summary>The shape colours; the first six are spread around the hue circle.</summary>
    public static IReadOnlyList<NamedColour> Colours { get; } =
    [
        new("red", 215, 35, 35),
        new("orange", 245, 140, 20),
        new("yellow", 240, 215, 30),
        new("green", 40, 170, 55),
        new("blue", 35, 80, 215),
        new("purple", 140, 50, 190),
        new("cyan", 30, 195, 210),
        new("pink", 245, 125, 185),
        new("brown", 125, 75, 35),
        new("black", 25, 25, 25),
    ];

    /// <summary>The colour called <paramref name="name"/>.</summary>
    public static NamedColour Colour(string name) =>
        Colours.FirstOrDefault(c => c.Name == name)
        ?? throw new ArgumentException($"'{name}' is not a demo colour; use one of {string.Join(", ", Colours.Select(c => c.Name))}.", nameof(name));

    /// <summary>The caption word of a shape.</summary>
    public static string Word(ShapeKind shape) => shape.ToString().ToLowerInvariant();

    /// <summary>The caption word of a fill ("" for solid, which captions leave out).</summary>
    public static string Word(ShapeFill fill) => fill == ShapeFill.Solid ? "" : fill.ToString().ToLowerInvariant();

    /// <summary>The caption word of a background.</summary>
    public static string Word(BackgroundKind background) => background.ToString().ToLowerInvariant();

    /// <summary>Plain background tones (the checkerboard alternates <see cref="CheckerLight"/> and <see cref="CheckerDark"/>).</summary>
    public static (byte R, byte G, byte B) BackgroundTone(BackgroundKind background) => background switch
    {
        BackgroundKind.White => (240, 240, 240),
        BackgroundKind.Black => (20, 20, 20),
        BackgroundKind.Grey => (128, 128, 128),
        BackgroundKind.Checkered => CheckerLight,
        BackgroundKind.Blue or BackgroundKind.Green or BackgroundKind.Yellow or BackgroundKind.Purple => PersonDatasetTone(background),
        _ => throw new ArgumentOutOfRangeException(nameof(background), background, null),
    };

    /// <summary>Light squares of the checkered background.</summary>
    public static (byte R, byte G, byte B) CheckerLight => (235, 235, 235);

    /// <summary>Dark squares of the checkered background.</summary>
    public static (byte R, byte G, byte B) CheckerDark => (165, 165, 165);

    /// <summary>
    /// "a red circle on a white background", "an orange striped square on a checkered background",
    /// or in the <see cref="CaptionForm.PhotoOf"/> form "a photo of a red circle, blue background".
    /// </summary>
    public static string Caption(NamedColour colour, ShapeKind shape, ShapeFill fill, BackgroundKind background, CaptionForm form = CaptionForm.OnBackground)
    {
        ArgumentNullException.ThrowIfNull(colour);
        var fillWord = fill == ShapeFill.Solid ? "" : Word(fill) + " ";
        var article = "aeiou".Contains(colour.Name[0], StringComparison.Ordinal) ? "an" : "a";
        var subject = $"{article} {colour.Name} {fillWord}{Word(shape)}";
        return form == CaptionForm.PhotoOf ? $"a photo of {subject}, {Word(background)} background" : $"{subject} on a {Word(background)} background";
    }

    static (byte R, byte G, byte B) PersonDatasetTone(BackgroundKind background)
    {
        var colour = DemoDatasetGenerator.Backgrounds.Single(b => b.Name == Word(background)).Colour;
        return (colour.R, colour.G, colour.B);
    }
}
