using SweepRunner.DemoBuilder;
using SweepRunner.Diffusion.ImageEncoders;
using TorchSharp;
using static SweepRunner.Diffusion.Tests.ImageEncoders.EncoderFiles;

namespace SweepRunner.Diffusion.Tests.ImageEncoders;

/// <summary>DINOv2 on tiny random models in the real key layout, against the independent reference.</summary>
public sealed class DinoEmbedderTests : IDisposable
{
    static readonly EncoderShape Shape = new();
    readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    string Dino(int seed, int imageSize) => RandomImageEncoders.WriteDino(Path.Combine(_folder.Path, $"dino{seed}"), seed, imageSize);

    VitReference Reference(string folder) => new(Path.Combine(folder, "model.safetensors"), Shape.Hidden, Shape.Heads, 1e-6, quickGelu: false);

    [Fact]
    public void EmbeddingsMatchTheReferenceWithPositionEmbeddingsResizedBicubically()
    {
        // Trained for 56 pixels (a 4×4 grid) and used at a 42-pixel crop (3×3): the positions are interpolated, as
        // dinov2's 37×37 are for a 224 crop.
        var folder = Dino(4, imageSize: 56);
        using var dino = DinoEmbedder.Load(folder, cropSize: 42);
        var images = new[] { Picture(_folder.Path, "c.png", 50, 36, 3), Picture(_folder.Path, "d.png", 36, 70, 4) };

        var embeddings = dino.EmbedImages(images);

        Assert.Equal((48, 42), (dino.Preprocessor.ResizeTo, dino.Preprocessor.CropTo));
        var reference = Reference(folder);
        for (var i = 0; i < images.Length; i++)
        {
            Assert.Equal(Shape.Hidden, embeddings[i].Length);
            AssertUnitLength(embeddings[i]);
            AssertSameDirection(reference.Dino(Pixels(ImagePreprocessor.Dino(42), images[i]), 42, 14, Shape.Layers, trainedGrid: 4), embeddings[i]);
        }
    }

    [Fact]
    public void AtTheTrainedSizeThePositionsAreUsedAsTheyAre()
    {
        var folder = Dino(5, imageSize: 28);
        using var dino = DinoEmbedder.Load(folder);
        var image = Picture(_folder.Path, "e.png", 64, 40, 5);

        var embedding = dino.EmbedImages([image])[0];

        Assert.Equal(28, dino.Preprocessor.CropTo);
        AssertSameDirection(Reference(folder).Dino(Pixels(ImagePreprocessor.Dino(28), image), 28, 14, Shape.Layers, trainedGrid: 2), embedding);
    }

    [Fact]
    public void AModelWithoutAMaskTokenLoadsWhenItsConfigSaysSo()
    {
        var folder = Dino(6, imageSize: 28);
        EditWeights(folder, tensors => [.. tensors.Where(t => t.Name != "embeddings.mask_token").Select(t => (t.Name, t.Tensor.alias()))]);
        Assert.Contains("embeddings.mask_token", Assert.Throws<ImageEncoderException>(() => DinoEmbedder.Load(folder)).Message);

        EditConfig(folder, config => config["use_mask_token"] = false);
        using var dino = DinoEmbedder.Load(folder);
        AssertUnitLength(dino.EmbedImages([Picture(_folder.Path, "f.png", 28, 28, 6)])[0]);
    }

    [Fact]
    public void EmbeddingLeavesNoLiveTensorsAndIsDeterministic()
    {
        using var dino = DinoEmbedder.Load(Dino(7, imageSize: 42), cropSize: 28);
        var images = Enumerable.Range(0, DinoEmbedder.BatchSize + 1).Select(i => Picture(_folder.Path, $"l{i}.png", 40, 30, i)).ToList();
        var statistics = DisposeScopeManager.Statistics;
        var first = dino.EmbedImages(images);
        var live = statistics.ThreadTotalLiveCount;
        var created = statistics.CreatedInScopeCount;

        for (var i = 0; i < 2; i++) Assert.Equal(first, dino.EmbedImages(images));

        Assert.True(statistics.CreatedInScopeCount - created > 100, "the statistics saw no tensors being created");
        Assert.Equal(live, statistics.ThreadTotalLiveCount);
    }
}
