using System.Text.Json.Nodes;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SweepRunner.Diffusion.Checkpoints;
using SweepRunner.Diffusion.ImageEncoders;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Tests.ImageEncoders;

/// <summary>Pictures, edits of a model folder's files, and comparisons shared by the encoder tests.</summary>
internal static class EncoderFiles
{
    public static readonly string[] Captions = ["a photo of sks person", "a photo of a person on a beach", "a red square", "a blue circle on green"];

    /// <summary>A PNG of random red, a horizontal green ramp and a vertical blue ramp.</summary>
    public static string Picture(string folder, string name, int width, int height, int seed)
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
        var path = Path.Combine(folder, name);
        image.SaveAsPng(path);
        return path;
    }

    /// <summary>What the encoder's own preprocessor feeds the network, as doubles (the reference starts from the same pixels).</summary>
    public static double[] Pixels(ImagePreprocessor preprocessor, string path)
    {
        using var pixels = preprocessor.Load(path);
        using var wide = pixels.to_type(ScalarType.Float64);
        return wide.data<double>().ToArray();
    }

    /// <summary>‖expected/‖expected‖ − actual‖ below <paramref name="tolerance"/>: actual is unit length and points the same way.</summary>
    public static void AssertSameDirection(double[] expected, float[] actual, double tolerance = 1e-4)
    {
        Assert.Equal(expected.Length, actual.Length);
        var norm = Math.Sqrt(expected.Sum(v => v * v));
        var error = Math.Sqrt(expected.Select((v, i) => (v / norm - actual[i]) * (v / norm - actual[i])).Sum());
        Assert.True(error < tolerance, $"relative L2 error {error:E2} ≥ {tolerance:E0}");
    }

    public static void AssertUnitLength(float[] embedding) => Assert.Equal(1.0, Math.Sqrt(embedding.Sum(v => (double)v * v)), 5);

    /// <summary>Rewrites the folder's model.safetensors: <paramref name="edit"/> gets the tensors by name and returns those to write.</summary>
    public static void EditWeights(string folder, Func<List<(string Name, Tensor Tensor)>, List<(string Name, Tensor Tensor)>> edit)
    {
        var path = Path.Combine(folder, "model.safetensors");
        List<(string Name, Tensor Tensor)> tensors;
        using (var file = SafetensorsFile.Open(path))
            tensors = file.Entries.Select(e => (e.Name, file.Load(e.Name))).ToList();
        var edited = edit(tensors);
        SafetensorsWriter.Write(path + ".new", edited);
        foreach (var (_, tensor) in tensors.Concat(edited)) tensor.Dispose();
        File.Move(path + ".new", path, overwrite: true);
    }

    /// <summary>Rewrites the folder's config.json through <paramref name="edit"/>.</summary>
    public static void EditConfig(string folder, Action<JsonObject> edit)
    {
        var path = Path.Combine(folder, "config.json");
        var config = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(config);
        File.WriteAllText(path, config.ToJsonString());
    }
}
