using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.ImageEncoders;

/// <summary>
/// What a model's image processor does before the network: resize so the shortest side is <see cref="ResizeTo"/>
/// (bicubic), centre-crop <see cref="CropTo"/>×<see cref="CropTo"/>, scale to [0, 1], normalise per channel. CLIP's
/// processor resizes to the crop size; DINOv2's (BitImageProcessor) to 256 for a 224 crop. ImageSharp's bicubic kernel
/// is not PIL's, so pixels differ slightly from the Python processors'.
/// </summary>
public sealed record ImagePreprocessor(int ResizeTo, int CropTo, float[] Mean, float[] Std)
{
    public static readonly float[] ClipMean = [0.48145466f, 0.4578275f, 0.40821073f];
    public static readonly float[] ClipStd = [0.26862954f, 0.26130258f, 0.27577711f];
    public static readonly float[] ImageNetMean = [0.485f, 0.456f, 0.406f];
    public static readonly float[] ImageNetStd = [0.229f, 0.224f, 0.225f];

    /// <summary>CLIP's: shortest side to the model's image size, centre crop of it.</summary>
    public static ImagePreprocessor Clip(int imageSize) => new(imageSize, imageSize, ClipMean, ClipStd);

    /// <summary>DINOv2's: shortest side to 256/224 of the crop (256 for 224), centre crop 224 (or a test model's size).</summary>
    public static ImagePreprocessor Dino(int cropSize) => new((int)Math.Round(cropSize * 256.0 / 224.0), cropSize, ImageNetMean, ImageNetStd);

    /// <summary>The image file as a normalised tensor [3, crop, crop].</summary>
    public Tensor Load(string path)
    {
        using var image = Image.Load<Rgb24>(path);
        return Prepare(image);
    }

    public Tensor Prepare(Image<Rgb24> source)
    {
        using var image = source.Clone(context =>
        {
            context.AutoOrient();
            var (w, h) = (context.GetCurrentSize().Width, context.GetCurrentSize().Height);
            var scale = (double)ResizeTo / Math.Min(w, h);
            var size = new SixLabors.ImageSharp.Size(Math.Max(CropTo, (int)Math.Round(w * scale)), Math.Max(CropTo, (int)Math.Round(h * scale)));
            context.Resize(new ResizeOptions { Size = size, Sampler = KnownResamplers.Bicubic, Mode = ResizeMode.Stretch });
            context.Crop(new Rectangle((size.Width - CropTo) / 2, (size.Height - CropTo) / 2, CropTo, CropTo));
        });
        var values = new float[3 * CropTo * CropTo];
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < CropTo; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < CropTo; x++)
                {
                    var offset = y * CropTo + x;
                    values[offset] = (row[x].R / 255f - Mean[0]) / Std[0];
                    values[CropTo * CropTo + offset] = (row[x].G / 255f - Mean[1]) / Std[1];
                    values[2 * CropTo * CropTo + offset] = (row[x].B / 255f - Mean[2]) / Std[2];
                }
            }
        });
        return tensor(values, [3, CropTo, CropTo]);
    }
}
