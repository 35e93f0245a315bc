using SweepRunner.DemoBuilder;
using System.Security.Cryptography;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SweepRunner.Diffusion.Checkpoints;
using SweepRunner.Diffusion.ImageEncoders;
using SweepRunner.TestSupport;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Tests.ImageEncoders;

/// <summary>CLIP and DINOv2 encoders on tiny random models in the real key layout, against an independent reference.</summary>
public sealed class ImageEncoderTests : IDisposable
{
    readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    static readonly string[] Captions = ["a photo of sks person", "a photo of a person on a beach", "a red square", "a blue circle on green"];

    string Picture(string name, int width, int height, int seed)
    {
        var random = new Random(seed);
        using var image = new Image<Rgb24>(width, height);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < width; x++) row[x] = new Rgb24((byte)random.Next(256), (byte)(x * 255 / width), (byte)(y * 255 / height));
            }
        });
        var path = Path.Combine(_folder.Path, name);
        image.SaveAsPng(path);
        return path;
    }

    static double[] Pixels(ImagePreprocessor preprocessor, string path)
    {
        using var t = preprocessor.Load(path).to_type(ScalarType.Float64);
        return t.data<double>().ToArray();
    }

    static void AssertClose(double[] expected, float[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        var norm = Math.Sqrt(expected.Sum(v => v * v));
        var normalised = expected.Select(v => v / norm).ToArray();
        var error = Math.Sqrt(normalised.Select((v, i) => (v - actual[i]) * (v - actual[i])).Sum());
        Assert.True(error < tolerance, $"relative L2 error {error:E2} ≥ {tolerance:E0}");
    }

    [Fact]
    public void ClipImageEmbeddingsMatchTheIndependentReference()
    {
        var folder = RandomImageEncoders.WriteClip(Path.Combine(_folder.Path, "clip"), 3, Captions);
        using var clip = ClipEmbedder.Load(folder);
        var images = new[] { Picture("a.png", 40, 30, 1), Picture("b.png", 28, 28, 2) };

        var embeddings = clip.EmbedImages(images);

        var reference = new VitReference(Path.Combine(folder, "model.safetensors"), new EncoderShape().Hidden, new EncoderShape().Heads, 1e-5, quickGelu: true);
        for (var i = 0; i < images.Length; i++)
        {
            Assert.Equal(1.0, Math.Sqrt(embeddings[i].Sum(v => (double)v * v)), 5);
            AssertClose(reference.Clip(Pixels(ImagePreprocessor.Clip(28), images[i]), 28, 14, new EncoderShape().Layers), embeddings[i], 1e-4);
        }
        Assert.NotEqual(embeddings[0], embeddings[1]);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(folder, "model.safetensors")))), clip.ModelSha256);
    }

    [Fact]
    public void DinoEmbeddingsMatchTheReferenceWithPositionEmbeddingsResizedBicubically()
    {
        // Trained for 42 pixels (a 3×3 grid), used at a 28-pixel crop (2×2): the positions are interpolated.
        var folder = RandomImageEncoders.WriteDino(Path.Combine(_folder.Path, "dino"), 4, imageSize: 42);
        using var dino = DinoEmbedder.Load(folder, cropSize: 28);
        var images = new[] { Picture("c.png", 50, 36, 3), Picture("d.png", 36, 50, 4) };

        var embeddings = dino.EmbedImages(images);

        var reference = new VitReference(Path.Combine(folder, "model.safetensors"), new EncoderShape().Hidden, new EncoderShape().Heads, 1e-6, quickGelu: false);
        for (var i = 0; i < images.Length; i++)
            AssertClose(reference.Dino(Pixels(ImagePreprocessor.Dino(28), images[i]), 28, 14, new EncoderShape().Layers, trainedGrid: 3), embeddings[i], 1e-4);
    }

    [Fact]
    public void ClipTextEmbeddingsPoolTheEndOfTextTokenAndTwoLoadsAgree()
    {
        var folder = RandomImageEncoders.WriteClip(Path.Combine(_folder.Path, "clip"), 5, Captions);
        using var clip = ClipEmbedder.Load(folder);
        using var again = ClipEmbedder.Load(folder);

        var texts = clip.EmbedTexts(["a photo of sks person", "a red square", "a photo of sks person"]);

        Assert.Equal(texts[0], texts[2]);
        Assert.NotEqual(texts[0], texts[1]);
        Assert.All(again.EmbedTexts(["a red square"])[0].Zip(texts[1]), pair => Assert.Equal(pair.Second, pair.First, 1e-6));
        Assert.All(texts, t => Assert.Equal(1.0, Math.Sqrt(t.Sum(v => (double)v * v)), 5));
        // Batched with a longer prompt, a prompt is still pooled at its own EOS (equal up to the order of sums in batched kernels).
        var batched = clip.EmbedTexts(["a red square", "a blue circle on green on a beach with a photo of a person"])[0];
        Assert.All(batched.Zip(texts[1]), pair => Assert.Equal(pair.Second, pair.First, 1e-6));
        Assert.NotEqual(texts[1], clip.EmbedTexts(["a red square on a beach"])[0]);
    }

    [Fact]
    public void ThePreprocessorResizesTheShortestSideCropsTheCentreAndNormalises()
    {
        using var white = new Image<Rgb24>(60, 30, new Rgb24(255, 255, 255));
        using var pixels = ImagePreprocessor.Dino(28).Prepare(white);
        Assert.Equal([3L, 28, 28], pixels.shape);
        // (1 − 0.485) / 0.229 for red, (1 − 0.456) / 0.224 for green, (1 − 0.406) / 0.225 for blue.
        Assert.Equal(2.2489, pixels[0, 14, 14].item<float>(), 3);
        Assert.Equal(2.4286, pixels[1, 3, 20].item<float>(), 3);
        Assert.Equal(2.64, pixels[2, 27, 0].item<float>(), 3);
        Assert.Equal(32, ImagePreprocessor.Dino(28).ResizeTo);
        Assert.Equal(256, ImagePreprocessor.Dino(224).ResizeTo);
    }

    [Fact]
    public void AFolderThatDoesNotMatchIsRefusedNamingTheFileAndTheKey()
    {
        var folder = RandomImageEncoders.WriteDino(Path.Combine(_folder.Path, "dino"), 6);
        var weights = Path.Combine(folder, "model.safetensors");
        using (var file = SafetensorsFile.Open(weights))
        {
            var kept = file.Entries.Where(e => e.Name != "encoder.layer.1.layer_scale2.lambda1").Select(e => (e.Name, file.Load(e.Name))).ToList();
            SafetensorsWriter.Write(Path.Combine(folder, "partial.safetensors"), kept);
            foreach (var (_, t) in kept) t.Dispose();
        }
        File.Move(Path.Combine(folder, "partial.safetensors"), weights, overwrite: true);

        var missing = Assert.Throws<ImageEncoderException>(() => DinoEmbedder.Load(folder));
        Assert.Contains("model.safetensors", missing.Message);
        Assert.Contains("encoder.layer.1.layer_scale2.lambda1", missing.Message);

        var clipFolder = RandomImageEncoders.WriteClip(Path.Combine(_folder.Path, "clip"), 7, Captions);
        var wrongType = Assert.Throws<ImageEncoderException>(() => DinoEmbedder.Load(clipFolder));
        Assert.Contains("is a 'clip' model, not 'dinov2'", wrongType.Message);
        var nowhere = Assert.Throws<ImageEncoderException>(() => ClipEmbedder.Load(Path.Combine(_folder.Path, "nowhere")));
        Assert.Contains("does not exist; download a CLIP model", nowhere.Message);
    }
}
