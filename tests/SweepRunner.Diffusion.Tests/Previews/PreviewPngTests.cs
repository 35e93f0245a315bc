using System.Buffers.Binary;
using System.Text;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SweepRunner.Core.Previews;
using SweepRunner.Diffusion.Previews;
using SweepRunner.TestSupport;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Tests.Previews;

public class PreviewPngTests
{
    static readonly string Parameters = Infotext.Format(new GenerationParameters("a red cube, studio light", "blurry", 30, "DDIM", 7.5, 42, 4, 2)
    {
        ModelName = "demo",
        Extra = [new("Lora", "cube-style")],
    });

    static RgbImage Gradient() => new(4, 2, Enumerable.Range(0, 24).Select(i => (byte)(i * 10)).ToArray());

    /// <summary>The (type, data) chunks of a PNG file, read without ImageSharp.</summary>
    static List<(string Type, byte[] Data)> Chunks(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10 }, bytes[..8]);
        var chunks = new List<(string, byte[])>();
        for (var at = 8; at < bytes.Length;)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(at));
            chunks.Add((Encoding.ASCII.GetString(bytes, at + 4, 4), bytes[(at + 8)..(at + 8 + length)]));
            at += 12 + length;
        }
        return chunks;
    }

    [Fact]
    public void ParametersAreStoredInAPlainTextChunkAndReadBack()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("e000001_00.png");
        PreviewPng.Write(path, Gradient(), Parameters);

        var text = Chunks(path).Single(c => c.Type == "tEXt").Data;
        Assert.Equal("parameters\0" + Parameters, Encoding.Latin1.GetString(text));
        Assert.Equal(Parameters, PreviewPng.ReadParameters(path));
        Assert.Single(Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void NonLatinPromptsSurviveTheRoundTrip()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("unicode.png");
        var parameters = "猫, 😊 — café\nSteps: 30, Sampler: Euler a, CFG scale: 7.0, Seed: 1, Size: 4x2";
        PreviewPng.Write(path, Gradient(), parameters);
        Assert.Equal(parameters, PreviewPng.ReadParameters(path));
        Assert.Equal(parameters, Infotext.Format(new GenerationParameters("猫, 😊 — café", null, 30, "Euler a", 7, 1, 4, 2)));
    }

    [Fact]
    public void PixelsArePreserved()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("pixels.png");
        PreviewPng.Write(path, Gradient(), null);
        using var loaded = Image.Load<Rgb24>(path);
        Assert.Equal((4, 2), (loaded.Width, loaded.Height));
        Assert.Equal(new Rgb24(0, 10, 20), loaded[0, 0]);
        Assert.Equal(new Rgb24(210, 220, 230), loaded[3, 1]);
        Assert.Null(PreviewPng.ReadParameters(path));
    }

    [Fact]
    public void APixelBufferOfTheWrongSizeIsRejected()
    {
        using var folder = new TemporaryFolder();
        var error = Assert.Throws<ArgumentException>(() => PreviewPng.Write(folder.File("x.png"), new RgbImage(4, 4, new byte[10]), null));
        Assert.Contains("48", error.Message);
        Assert.Empty(Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void TensorsInMinusOneToOneBecomeBytes()
    {
        using var scope = NewDisposeScope();
        // One row of three pixels: black, mid grey, white (and out-of-range values clamp).
        var image = tensor(new float[] { -1f, 0f, 1f, -3f, 0f, 3f, -1f, 0f, 1f }).reshape(3, 1, 3);
        var rgb = PreviewPixels.FromTensor(image);
        Assert.Equal((3, 1), (rgb.Width, rgb.Height));
        Assert.Equal(new byte[] { 0, 0, 0, 128, 128, 128, 255, 255, 255 }, rgb.Pixels);
        Assert.Throws<ArgumentException>(() => PreviewPixels.FromTensor(zeros(4, 2, 2)));
    }
}
