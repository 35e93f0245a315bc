using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;

namespace SweepRunner.TestSupport;

/// <summary>Writes small images and captions in kohya layout for data tests.</summary>
public static class TestImages
{
    /// <summary>A <paramref name="width"/>×<paramref name="height"/> image: left half red, right half blue, a green top row.</summary>
    public static Image<Rgb24> Halves(int width, int height)
    {
        var image = new Image<Rgb24>(width, height);
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                image[x, y] = y == 0 ? new Rgb24(0, 255, 0) : x < width / 2 ? new Rgb24(255, 0, 0) : new Rgb24(0, 0, 255);
        return image;
    }

    public static string Png(string folder, string name, int width, int height, string? caption = null)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name + ".png");
        using var image = Halves(width, height);
        image.SaveAsPng(path);
        if (caption is not null) File.WriteAllText(Path.ChangeExtension(path, ".txt"), caption + "\nsecond line is ignored\n");
        return path;
    }

    public static string Webp(string folder, string name, int width, int height)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name + ".webp");
        using var image = Halves(width, height);
        image.Save(path, new WebpEncoder { FileFormat = WebpFileFormatType.Lossless });
        return path;
    }

    /// <summary>A JPEG stored <paramref name="width"/>×<paramref name="height"/> with EXIF orientation 6 (shown rotated 90°).</summary>
    public static string RotatedJpeg(string folder, string name, int width, int height)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name + ".jpg");
        using var image = Halves(width, height);
        image.Metadata.ExifProfile = new ExifProfile();
        image.Metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)6);
        image.Save(path, new JpegEncoder { Quality = 95 });
        return path;
    }
}
