using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using SweepRunner.Core.Files;

namespace SweepRunner.Diffusion.Previews;

/// <summary>
/// Writes preview PNGs with AUTOMATIC1111's <c>parameters</c> text chunk, so its "PNG Info" tab and image
/// sites show how the image was made, and reads that chunk back.
/// </summary>
public static class PreviewPng
{
    /// <summary>The PNG text keyword AUTOMATIC1111 stores the infotext under.</summary>
    public const string ParametersKeyword = "parameters";

    /// <summary>
    /// Writes <paramref name="image"/> to <paramref name="path"/> atomically with <paramref name="parameters"/>
    /// (an infotext, see SweepRunner.Core.Previews.Infotext) in a <c>parameters</c> chunk: tEXt for Latin-1
    /// text, iTXt (UTF-8) otherwise, never compressed.
    /// </summary>
    public static void Write(string path, RgbImage image, string? parameters)
    {
        ArgumentNullException.ThrowIfNull(image);
        image.Validate();
        using var png = Image.LoadPixelData<Rgb24>(image.Pixels, image.Width, image.Height);
        if (!string.IsNullOrEmpty(parameters))
            png.Metadata.GetPngMetadata().TextData.Add(new PngTextData(ParametersKeyword, parameters, string.Empty, string.Empty));
        var encoder = new PngEncoder
        {
            ColorType = PngColorType.Rgb,
            BitDepth = PngBitDepth.Bit8,
            TextCompressionThreshold = int.MaxValue,
        };
        AtomicFile.Write(path, stream => png.Save(stream, encoder));
    }

    /// <summary>The <c>parameters</c> text of the PNG at <paramref name="path"/>, or null when it has none.</summary>
    public static string? ReadParameters(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Image '{path}' does not exist.", path);
        IImageInfo info;
        try
        {
            info = Image.Identify(path) ?? throw new InvalidDataException($"'{path}' is not an image ImageSharp recognises.");
        }
        catch (UnknownImageFormatException e)
        {
            throw new InvalidDataException($"'{path}' is not a PNG image: {e.Message}", e);
        }
        return info.Metadata.GetPngMetadata().TextData
            .FirstOrDefault(t => string.Equals(t.Keyword, ParametersKeyword, StringComparison.Ordinal)).Value;
    }
}
