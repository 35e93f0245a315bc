using System.Diagnostics;
using System.Globalization;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SweepRunner.DemoBuilder;
using SweepRunner.Diffusion.ImageEncoders;

namespace SweepRunner.Bench.Training;

/// <summary>
/// Seconds per preview of each automatic score on this CPU, with random weights at the published models' sizes
/// (openai/clip-vit-large-patch14, facebook/dinov2-base): image embeddings in batches of 8 and prompt embeddings.
/// </summary>
public static class AutoScoreBenchmark
{
    public static void Run(int images)
    {
        var folder = Directory.CreateTempSubdirectory("sweeprunner-bench-autoscore-").FullName;
        try
        {
            var paths = Enumerable.Range(0, images).Select(i => Picture(folder, i)).ToList();
            Console.WriteLine("model | load s | images | s per image | prompts | s per prompt");
            var clipFolder = RandomImageEncoders.WriteClip(Path.Combine(folder, "clip"), 1, ["a photo of sks person", "sks person on a beach"], 224, 14, EncoderShape.ClipVitL14);
            var clock = Stopwatch.StartNew();
            using (var clip = ClipEmbedder.Load(clipFolder))
            {
                var load = clock.Elapsed.TotalSeconds;
                clip.EmbedImages(paths.Take(1).ToList());
                var (perImage, perPrompt) = (Time(() => { foreach (var batch in paths.Chunk(8)) clip.EmbedImages(batch); }) / images,
                    Time(() => clip.EmbedTexts(paths.Select((_, i) => $"a photo of sks person, prompt {i}").ToList())) / images);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"CLIP ViT-L/14 size (224) | {load:0.0} | {images} | {perImage:0.000} | {images} | {perPrompt:0.000}"));
            }

            var dinoFolder = RandomImageEncoders.WriteDino(Path.Combine(folder, "dino"), 2, 518, 14, EncoderShape.Dinov2Base);
            clock.Restart();
            using (var dino = DinoEmbedder.Load(dinoFolder))
            {
                var load = clock.Elapsed.TotalSeconds;
                dino.EmbedImages(paths.Take(1).ToList());
                var perImage = Time(() => { foreach (var batch in paths.Chunk(8)) dino.EmbedImages(batch); }) / images;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"DINOv2-base size (224 crop) | {load:0.0} | {images} | {perImage:0.000} | – | –"));
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    static double Time(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalSeconds;
    }

    static string Picture(string folder, int index)
    {
        var random = new Random(index);
        using var image = new Image<Rgb24>(512, 512);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < 512; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < 512; x++) row[x] = new Rgb24((byte)random.Next(256), (byte)(x / 2), (byte)(y / 2));
            }
        });
        var path = Path.Combine(folder, $"p{index}.png");
        image.SaveAsPng(path);
        return path;
    }
}
