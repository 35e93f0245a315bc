using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SweepRunner.Diffusion.ImageEncoders;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Tests.ImageEncoders;

public sealed class ImagePreprocessorTests
{
    static float Normalised(byte value, float mean, float std) => (value / 255f - mean) / std;

    [Fact]
    public void TheShortestSideTakesTheTargetAndTheLongerSideIsTruncatedAsTransformersComputesIt()
    {
        // 224 · 640 / 480 = 298.67 → 298 (rounding would give 299); 32 · 70 / 30 = 74.67 → 74.
        Assert.Equal((298, 224), ImagePreprocessor.Clip(224).ResizedSize(640, 480));
        Assert.Equal((32, 74), ImagePreprocessor.Dino(28).ResizedSize(30, 70));
        Assert.Equal((256, 256), ImagePreprocessor.Dino(224).ResizedSize(512, 512));
        Assert.Equal(256, ImagePreprocessor.Dino(224).ResizeTo);
        Assert.Equal(224, ImagePreprocessor.Dino(224).CropTo);
        Assert.Equal(32, ImagePreprocessor.Dino(28).ResizeTo);
        Assert.Equal((32, 32), (ImagePreprocessor.Clip(32).ResizeTo, ImagePreprocessor.Clip(32).CropTo));
    }

    [Theory]
    [InlineData(60, 30)]
    [InlineData(30, 70)]
    [InlineData(28, 28)]
    [InlineData(500, 333)]
    public void EveryImageBecomesAChannelFirstSquareOfTheCropSize(int width, int height)
    {
        using var image = new Image<Rgb24>(width, height, new Rgb24(10, 20, 30));
        using var clip = ImagePreprocessor.Clip(28).Prepare(image);
        using var dino = ImagePreprocessor.Dino(28).Prepare(image);
        Assert.Equal([3L, 28, 28], clip.shape);
        Assert.Equal([3L, 28, 28], dino.shape);
    }

    [Fact]
    public void ASolidColourIsScaledToOneAndNormalisedByEachModelsMeanAndStd()
    {
        using var white = new Image<Rgb24>(60, 30, new Rgb24(255, 255, 255));
        using var dino = ImagePreprocessor.Dino(28).Prepare(white);
        // (1 − 0.485) / 0.229, (1 − 0.456) / 0.224, (1 − 0.406) / 0.225.
        Assert.Equal(2.2489, dino[0, 14, 14].item<float>(), 3);
        Assert.Equal(2.4286, dino[1, 3, 20].item<float>(), 3);
        Assert.Equal(2.6400, dino[2, 27, 0].item<float>(), 3);

        using var grey = new Image<Rgb24>(40, 90, new Rgb24(128, 64, 0));
        using var clip = ImagePreprocessor.Clip(28).Prepare(grey);
        // (128/255 − 0.48145466) / 0.26862954 = 0.0763, (64/255 − 0.4578275) / 0.26130258 = −0.7916, (0 − 0.40821073) / 0.27577711 = −1.4802.
        using var expected = tensor(new[] { 0.0763f, -0.7916f, -1.4802f }).view(3, 1, 1).expand(3, 28, 28);
        Assert.True(clip.allclose(expected, rtol: 0, atol: 2e-4), "a solid colour is not its normalised value everywhere");
    }

    [Fact]
    public void TheCropIsTheCentreAndAnImageAlreadyAtTheTargetSizeIsNotResampled()
    {
        // 84×28 for CLIP at 28: no resize; the crop starts at column (84 − 28) / 2 = 28. Red is the column index.
        using var ramp = new Image<Rgb24>(84, 28);
        for (var y = 0; y < 28; y++)
            for (var x = 0; x < 84; x++) ramp[x, y] = new Rgb24((byte)x, (byte)(3 * y), 0);
        using var pixels = ImagePreprocessor.Clip(28).Prepare(ramp);
        var (mean, std) = (ImagePreprocessor.ClipMean, ImagePreprocessor.ClipStd);
        for (var x = 0; x < 28; x += 9)
            Assert.Equal(Normalised((byte)(28 + x), mean[0], std[0]), pixels[0, 5, x].item<float>(), 5);
        Assert.Equal(Normalised(3 * 27, mean[1], std[1]), pixels[1, 27, 3].item<float>(), 5);

        // 33 rows high (odd margin): the crop starts at row (33 − 28) / 2 = 2, rounded down. Portrait 28×33.
        using var tall = new Image<Rgb24>(28, 33);
        for (var y = 0; y < 33; y++)
            for (var x = 0; x < 28; x++) tall[x, y] = new Rgb24(0, (byte)(5 * y), 0);
        using var cropped = ImagePreprocessor.Clip(28).Prepare(tall);
        Assert.Equal(Normalised(5 * 2, mean[1], std[1]), cropped[1, 0, 7].item<float>(), 5);
        Assert.Equal(Normalised(5 * 29, mean[1], std[1]), cropped[1, 27, 7].item<float>(), 5);
    }

    [Fact]
    public void AResizedWideImageKeepsItsMiddle()
    {
        // 192×64 red | green | blue thirds, to 96×32 for DINOv2 at 28: the 28 columns kept (34..61 of 96) are the green third.
        using var bands = new Image<Rgb24>(192, 64);
        for (var y = 0; y < 64; y++)
            for (var x = 0; x < 192; x++) bands[x, y] = x < 64 ? new Rgb24(255, 0, 0) : x < 128 ? new Rgb24(0, 255, 0) : new Rgb24(0, 0, 255);
        using var pixels = ImagePreprocessor.Dino(28).Prepare(bands);
        var (mean, std) = (ImagePreprocessor.ImageNetMean, ImagePreprocessor.ImageNetStd);
        foreach (var x in new[] { 0, 13, 27 })
        {
            Assert.Equal(Normalised(0, mean[0], std[0]), pixels[0, 10, x].item<float>(), 2);
            Assert.Equal(Normalised(255, mean[1], std[1]), pixels[1, 10, x].item<float>(), 2);
            Assert.Equal(Normalised(0, mean[2], std[2]), pixels[2, 10, x].item<float>(), 2);
        }
    }
}
