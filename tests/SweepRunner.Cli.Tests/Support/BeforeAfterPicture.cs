using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace SweepRunner.Cli.Tests.Support;

/// <summary>
/// A PNG with one row per prompt: the base model's image, then the LoRA preview, each enlarged by whole pixels
/// (nearest neighbour), so a person can see 64×64 images.
/// </summary>
public static class BeforeAfterPicture
{
    const int Gap = 4;

    public static void Write(IReadOnlyList<PreviewPair> pairs, string path, int targetCell = 256)
    {
        var images = pairs.Select(p => (Without: Image.Load<Rgb24>(p.WithoutLoraPng), With: Image.Load<Rgb24>(p.WithLoraPng))).ToList();
        try
        {
            var factor = Math.Max(1, targetCell / images[0].With.Width);
            var cellWidth = images[0].With.Width * factor;
            var cellHeight = images[0].With.Height * factor;
            using var canvas = new Image<Rgb24>(2 * cellWidth + 3 * Gap, images.Count * (cellHeight + Gap) + Gap, new Rgb24(255, 255, 255));
            for (var row = 0; row < images.Count; row++)
            {
                var column = 0;
                foreach (var image in new[] { images[row].Without, images[row].With })
                {
                    using var large = image.Clone(m => m.Resize(cellWidth, cellHeight, KnownResamplers.NearestNeighbor));
                    var at = new Point(Gap + column * (cellWidth + Gap), Gap + row * (cellHeight + Gap));
                    canvas.Mutate(m => m.DrawImage(large, at, 1f));
                    column++;
                }
            }

            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            canvas.SaveAsPng(path);
        }
        finally
        {
            foreach (var (without, with) in images)
            {
                without.Dispose();
                with.Dispose();
            }
        }
    }
}
