using SweepRunner.Training.Data;
using SweepRunner.TestSupport;
using static TorchSharp.torch;

namespace SweepRunner.Training.Tests.Data;

public class LatentCacheTests
{
    static Tensor FakeEncode(Tensor image) => nn.functional.avg_pool2d(image.unsqueeze(0), 8).squeeze(0)[TensorIndex.Slice(0, 2)].repeat(2, 1, 1);

    [Fact]
    public void EachImageIsEncodedOnceAndReusedFromDiskByANewCache()
    {
        using var folder = new TemporaryFolder();
        var path = TestImages.Png(folder.Path, "img", 64, 48);
        var image = new TrainingImage(path, "1_x", 1, "x", 64, 48, new string('a', 64), 0);
        var cacheFolder = Path.Combine(folder.Path, "cache");
        Tensor first;
        using (var cache = new LatentCache(cacheFolder))
        {
            first = cache.Get(image, 64, 64, false, "vae1vae1vae1vae1vae1", FakeEncode).clone();
            var again = cache.Get(image, 64, 64, false, "vae1vae1vae1vae1vae1", FakeEncode);
            Assert.Equal(1, cache.Encoded);
            Assert.True(TestWeights.Identical(first, again));
            cache.Get(image, 64, 64, true, "vae1vae1vae1vae1vae1", FakeEncode);
            cache.Get(image, 32, 32, false, "vae1vae1vae1vae1vae1", FakeEncode);
            Assert.Equal(3, cache.Encoded);
        }
        using var _ = first;
        Assert.Equal(3, Directory.GetFiles(cacheFolder, "*.safetensors", SearchOption.AllDirectories).Length);

        using var next = new LatentCache(cacheFolder);
        var fromDisk = next.Get(image, 64, 64, false, "vae1vae1vae1vae1vae1", FakeEncode);
        Assert.Equal((0, 1), (next.Encoded, next.LoadedFromDisk));
        Assert.True(TestWeights.Identical(first, fromDisk));
        next.Get(image, 64, 64, false, "vae2vae2vae2vae2vae2", FakeEncode);
        Assert.Equal(1, next.Encoded);
    }
}
