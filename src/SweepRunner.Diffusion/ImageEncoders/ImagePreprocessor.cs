using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.ImageEncoders;

/// <summary>
/// What a model's image processor in transformers does before the network, step by step:
/// <list type="number">
/// <item>decode as RGB (alpha dropped, as PIL's convert("RGB") does), EXIF orientation applied;</item>
/// <item>resize bicubically so the shortest side is <see cref="ResizeTo"/> and the other is
/// int(<see cref="ResizeTo"/> · long / short), truncated as transformers' get_resize_output_image_size computes it;
/// an image whose shortest side already is <see cref="ResizeTo"/> is not resampled, as there;</item>
/// <item>centre-crop <see cref="CropTo"/>×<see cref="CropTo"/> at ((w − crop) / 2, (h − crop) / 2), rounded down;</item>
/// <item>scale to [0, 1] (÷ 255) and normalise each channel: (x − mean) / std.</item>
/// </list>
/// CLIPImageProcessor resizes to the crop size (224, 224); DINOv2's BitImageProcessor to 256 for a 224 crop.
/// ImageSharp's bicubic resampler is not PIL's (both widen the kernel when shrinking, but the kernels and rounding
/// differ), so pixels differ slightly from the Python processors' and embeddings are close to transformers', not equal.
/// </summary>
public sealed record ImagePreprocessor(int ResizeTo, int CropTo, float[] Mean, float[] Std)
{
    public static readonly float[] ClipMean = [0.48145466f, 0.4578275f, 0.40821073f];
    public static readonly float[] ClipStd = [0.26862954f, 0.26130258f, 0.27577711f];
    public static readonly float[] ImageNetMean = [0.485f, 0.456f, 0.406f];
    public static readonly float[] ImageNetStd = [0.229f, 0.224f, 0.225f];

    /// <summary>CLIP's: shortest side to the model's image_size, centre crop of image_size, OpenAI's mean and std.</summary>
    public static ImagePreprocessor Clip(int imageSize) => new(imageSize, imageSize, ClipMean, ClipStd);

    /// <summary>DINOv2's: shortest side to 256/224 of the crop (256 for the published 224), centre crop, ImageNet's mean and std.</summary>
    public static ImagePreprocessor Dino(int cropSize) => new((int)Math.Round(cropSize * 256.0 / 224.0), cropSize, ImageNetMean, ImageNetStd);

    /// <summary>The size after the resize step (before the crop) of an image of <paramref name="width"/>×<paramref name="height"/>.</summary>
    public (int Width, int Height) ResizedSize(int width, int height)
    {
        if (width <= height) return (ResizeTo, (int)((long)ResizeTo * height / width));
        return ((int)((long)ResizeTo * width / height), ResizeTo);
    }

    /// <summary>The image file as a normalised tensor [3, crop, crop].</summary>
    public Tensor Load(string path)
    {
        using var image = Image.Load<Rgb24>(path);
        return Prepare(image);
    }

    /// <summary>The image as a normalised tensor [3, crop, crop].</summary>
    public Tensor Prepare(Image<Rgb24> source)
    {
        using var image = source.Clone(context =>
        {
            context.AutoOrient();
            var current = context.GetCurrentSize();
            var (width, height) = ResizedSize(current.Width, current.Height);
            if (Math.Min(current.Width, current.Height) != ResizeTo)
                context.Resize(new ResizeOptions { Size = new SixLabors.ImageSharp.Size(width, height), Sampler = KnownResamplers.Bicubic, Mode = ResizeMode.Stretch });
            context.Crop(new Rectangle((width - CropTo) / 2, (height - CropTo) / 2, CropTo, CropTo));
        });
        var plane = CropTo * CropTo;
        var values = new float[3 * plane];
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < CropTo; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < CropTo; x++)
                {
                    var offset = y * CropTo + x;
                    values[offset] = (row[x].R / 255f - Mean[0]) / Std[0];
                    values[plane + offset] = (row[x].G / 255f - Mean[1]) / Std[1];
                    values[2 * plane + offset] = (row[x].B / 255f - Mean[2]) / Std[2];
                }
            }
        });
        return tensor(values, [3, CropTo, CropTo]);
    }
}
