using SweepRunner.Training.Data;
using SweepRunner.TestSupport;
using static TorchSharp.torch;

namespace SweepRunner.Training.Tests.Data;

public class ImageAndCaptionTests
{
    [Theory]
    [InlineData(640, 384, 512, 512, 853, 512)]
    [InlineData(384, 640, 512, 512, 512, 853)]
    [InlineData(512, 512, 576, 448, 576, 576)]
    [InlineData(1000, 500, 640, 384, 768, 384)]
    public void ImagesAreResizedToCoverTheBucket(int w, int h, int bw, int bh, int rw, int rh) =>
        Assert.Equal((rw, rh), ImageLoader.CoverSize(w, h, bw, bh));

    [Fact]
    public void AWideImageIsCentreCroppedAndMirroredOnRequest()
    {
        using var folder = new TemporaryFolder();
        var path = TestImages.Png(folder.Path, "wide", 128, 32);
        using var scope = NewDisposeScope();
        var plain = ImageLoader.Load(path, 32, 32, flip: false);
        Assert.Equal([3L, 32, 32], plain.shape);
        Assert.InRange(plain.min().item<float>(), -1f, -0.99f);
        Assert.InRange(plain.max().item<float>(), 0.99f, 1f);
        // The centre crop of a red|blue image holds both halves: red on the left, blue on the right.
        Assert.True(plain[0, 16, 2].item<float>() > 0.9f && plain[2, 16, 29].item<float>() > 0.9f);
        var flipped = ImageLoader.Load(path, 32, 32, flip: true);
        Assert.True(allclose(flipped, plain.flip(2)));
    }

    [Fact]
    public void ShuffleCaptionKeepsTheFirstTokensInPlace()
    {
        var processor = new CaptionProcessor(ShuffleCaption: true, KeepTokens: 1);
        const string caption = "sks person, red shirt, blue background, smiling, outdoors";
        var seen = new HashSet<string>();
        for (var i = 0; i < 20; i++)
        {
            var result = processor.Process(caption, new Random(i));
            Assert.StartsWith("sks person, ", result);
            Assert.Equal(caption.Split(", ").Order(), result.Split(", ").Order());
            seen.Add(result);
        }
        Assert.True(seen.Count > 5);
        Assert.Equal(caption, new CaptionProcessor(false, 1).Process(caption, new Random(1)));
    }
}
