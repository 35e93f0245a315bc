using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Previews;

/// <summary>An 8-bit RGB image, rows top to bottom, 3 bytes per pixel.</summary>
public sealed record RgbImage(int Width, int Height, byte[] Pixels)
{
    /// <summary>Checks that <see cref="Pixels"/> holds exactly Width × Height × 3 bytes.</summary>
    public void Validate()
    {
        if (Width < 1 || Height < 1)
            throw new ArgumentOutOfRangeException(nameof(Width), $"An image needs a positive size; got {Width}x{Height}.");
        if (Pixels.LongLength != 3L * Width * Height)
            throw new ArgumentException($"A {Width}x{Height} RGB image needs {3L * Width * Height} bytes; got {Pixels.LongLength}.");
    }
}

/// <summary>Turns VAE output into pixels.</summary>
public static class PreviewPixels
{
    /// <summary>
    /// Converts a decoded image [3, H, W] (or [1, 3, H, W]) with values in [−1, 1] to 8-bit RGB:
    /// (x + 1) / 2 clamped to [0, 1], times 255, rounded.
    /// </summary>
    public static RgbImage FromTensor(Tensor image)
    {
        using var scope = NewDisposeScope();
        var chw = image.dim() == 4 && image.shape[0] == 1 ? image.squeeze(0) : image;
        if (chw.dim() != 3 || chw.shape[0] != 3)
            throw new ArgumentException($"Expected an image tensor [3, H, W]; got [{string.Join(", ", image.shape)}].", nameof(image));
        var bytes = ((chw.to_type(ScalarType.Float32).cpu() + 1) / 2).clamp(0, 1).mul(255).round()
            .to_type(ScalarType.Byte).permute(1, 2, 0).contiguous();
        return new RgbImage((int)chw.shape[2], (int)chw.shape[1], bytes.data<byte>().ToArray());
    }
}
