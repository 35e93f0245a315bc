using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using static TorchSharp.torch;

namespace SweepRunner.Training.Data;

/// <summary>
/// Decodes training images (PNG, JPEG, WebP) in their stored pixel order and prepares them as sd-scripts does:
/// resized so the image covers the bucket (area averaging when shrinking, Lanczos when enlarging), centre-cropped
/// to the bucket, optionally mirrored, as a [3, H, W] float32 tensor in [−1, 1].
/// </summary>
public static class ImageLoader
{
    /// <summary>
    /// Decodes <paramref name="path"/> as stored. EXIF orientation is ignored, as sd-scripts (PIL without
    /// exif_transpose) and the planner's step count (header sizes) ignore it; a corrupt file throws
    /// <see cref="TrainingDataException"/> naming it.
    /// </summary>
    public static Image<Rgb24> Decode(string path)
    {
        try
        {
            return Image.Load<Rgb24>(path);
        }
        catch (Exception e) when (e is ImageFormatException or IOException or InvalidDataException or NotSupportedException or ArgumentException)
        {
            throw new TrainingDataException($"{path}: the image cannot be decoded ({e.Message}). Remove or replace the file, then start the job again.", e);
        }
    }

    /// <summary>The size sd-scripts resizes a <paramref name="width"/>×<paramref name="height"/> image to before cropping it to the bucket.</summary>
    public static (int Width, int Height) CoverSize(int width, int height, int bucketWidth, int bucketHeight)
    {
        var imageRatio = (double)width / height;
        var bucketRatio = (double)bucketWidth / bucketHeight;
        var scale = imageRatio > bucketRatio ? (double)bucketHeight / height : (double)bucketWidth / width;
        return ((int)(width * scale + 0.5), (int)(height * scale + 0.5));
    }

    /// <summary>The image at <paramref name="path"/> resized, cropped and (optionally) mirrored: [3, H, W] in [−1, 1].</summary>
    public static Tensor Load(string path, int bucketWidth, int bucketHeight, bool flip)
    {
        using var image = Decode(path);
        var (width, height) = CoverSize(image.Width, image.Height, bucketWidth, bucketHeight);
        width = Math.Max(width, bucketWidth);
        height = Math.Max(height, bucketHeight);
        if (width != image.Width || height != image.Height)
        {
            var shrinking = (long)width * height < (long)image.Width * image.Height;
            image.Mutate(x => x.Resize(width, height, shrinking ? KnownResamplers.Box : KnownResamplers.Lanczos3));
        }
        var left = (width - bucketWidth) / 2;
        var top = (height - bucketHeight) / 2;
        if (left != 0 || top != 0 || width != bucketWidth || height != bucketHeight)
            image.Mutate(x => x.Crop(new Rectangle(left, top, bucketWidth, bucketHeight)));
        if (flip) image.Mutate(x => x.Flip(FlipMode.Horizontal));

        var pixels = new byte[bucketWidth * bucketHeight * 3];
        image.CopyPixelDataTo(pixels);
        using var scope = NewDisposeScope();
        var hwc = tensor(pixels, ScalarType.Byte).view(bucketHeight, bucketWidth, 3);
        var chw = hwc.permute(2, 0, 1).to_type(ScalarType.Float32).div(127.5).sub(1.0).contiguous();
        return chw.MoveToOuterDisposeScope();
    }
}
