using SweepRunner.Diffusion.Previews;
using static TorchSharp.torch;

namespace SweepRunner.DemoBuilder;

/// <summary>Turns 8-bit RGB images into the VAE's input.</summary>
public static class DemoImageTensors
{
    /// <summary>Images of one size → float32 [N, 3, H, W] with values in [−1, 1] (pixel / 127.5 − 1).</summary>
    public static Tensor FromImages(IReadOnlyList<RgbImage> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.Count == 0) throw new ArgumentException("At least one image is needed.", nameof(images));
        var width = images[0].Width;
        var height = images[0].Height;
        var bytes = new byte[(long)images.Count * width * height * 3];
        for (var i = 0; i < images.Count; i++)
        {
            var image = images[i];
            image.Validate();
            if (image.Width != width || image.Height != height)
                throw new ArgumentException($"Image {i} is {image.Width}x{image.Height}; every image must be {width}x{height}.", nameof(images));
            image.Pixels.CopyTo(bytes, (long)i * width * height * 3);
        }

        using var scope = NewDisposeScope();
        var hwc = tensor(bytes, [images.Count, height, width, 3]);
        var chw = hwc.permute(0, 3, 1, 2).to_type(ScalarType.Float32) / 127.5 - 1;
        return chw.contiguous().MoveToOuterDisposeScope();
    }
}
