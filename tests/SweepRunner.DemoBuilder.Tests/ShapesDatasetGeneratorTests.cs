using SweepRunner.DemoBuilder;

namespace SweepRunner.DemoBuilder.Tests;

public class ShapesDatasetGeneratorTests
{
    [Fact]
    public void TheSameSeedDrawsTheSameImagesAndCaptions()
    {
        var first = ShapesDatasetGenerator.Generate(30, 64, seed: 7);
        var second = ShapesDatasetGenerator.Generate(30, 64, seed: 7);
        var other = ShapesDatasetGenerator.Generate(30, 64, seed: 8);

        Assert.Equal(first.Select(s => s.Caption), second.Select(s => s.Caption));
        Assert.All(first.Zip(second), pair => Assert.Equal(pair.First.Image.Pixels, pair.Second.Image.Pixels));
        Assert.NotEqual(first.Select(s => s.Caption), other.Select(s => s.Caption));
    }

    [Fact]
    public void CaptionsNameTheShapeFillAndBackgroundOfTheSpec()
    {
        foreach (var sample in ShapesDatasetGenerator.Generate(200, 64, seed: 3))
        {
            var spec = sample.Spec;
            var fill = spec.Fill == ShapeFill.Solid ? "" : ShapeVocabulary.Word(spec.Fill) + " ";
            var article = spec.Colour.Name is "orange" ? "an" : "a";
            var subject = $"{article} {spec.Colour.Name} {fill}{ShapeVocabulary.Word(spec.Shape)}";
            var background = ShapeVocabulary.Word(spec.Background);
            Assert.Equal(spec.Form == CaptionForm.PhotoOf ? $"a photo of {subject}, {background} background" : $"{subject} on a {background} background", sample.Caption);
            Assert.DoesNotContain("person", sample.Caption);
        }
    }

    [Fact]
    public void EveryBackgroundAndBothCaptionFormsOccurAndNoShapeHasTheColourOfItsBackground()
    {
        var samples = ShapesDatasetGenerator.Generate(400, 64, seed: 4);

        Assert.Equal(Enum.GetValues<BackgroundKind>(), samples.Select(s => s.Spec.Background).Distinct().Order());
        Assert.InRange(samples.Count(s => s.Spec.Form == CaptionForm.PhotoOf), 150, 250);
        Assert.DoesNotContain(samples, s => s.Spec.Colour.Name == ShapeVocabulary.Word(s.Spec.Background));
        // The coloured backgrounds are the demo person dataset's, so its prompts' background words match what the model saw.
        var blue = DemoDatasetGenerator.Backgrounds.Single(b => b.Name == "blue").Colour;
        Assert.Equal((blue.R, blue.G, blue.B), ShapeVocabulary.BackgroundTone(BackgroundKind.Blue));
    }

    [Fact]
    public void TheColourNamedInTheCaptionIsTheColourDrawnMost()
    {
        var samples = ShapesDatasetGenerator.Generate(200, 64, seed: 5);
        foreach (var sample in samples)
        {
            var captionColour = ShapeVocabulary.Colours.Single(c => sample.Caption.Split(' ').Contains(c.Name) && c.Name != BackgroundWord(sample.Caption));
            var background = BackgroundTones(sample.Caption);
            var votes = new Dictionary<string, int>();
            var pixels = sample.Image.Pixels;
            for (var i = 0; i < pixels.Length; i += 3)
            {
                var pixel = (pixels[i], pixels[i + 1], pixels[i + 2]);
                if (background.Any(tone => Distance(pixel, tone) < 16)) continue;
                foreach (var colour in ShapeVocabulary.Colours)
                    if (Distance(pixel, (colour.R, colour.G, colour.B)) <= 18)
                        votes[colour.Name] = votes.GetValueOrDefault(colour.Name) + 1;
            }

            var winner = votes.OrderByDescending(v => v.Value).First();
            Assert.True(winner.Key == captionColour.Name && winner.Value >= 20,
                $"'{sample.Caption}': most pixels are {winner.Key} ({winner.Value}); votes {string.Join(", ", votes.Select(v => $"{v.Key} {v.Value}"))}");
        }
    }

    [Fact]
    public void SquaresFillTheirBoxAndRingsLeaveTheirCentreEmpty()
    {
        var red = ShapeVocabulary.Colour("red");
        var square = ShapesDatasetGenerator.Draw(new ShapeSpec(red, ShapeKind.Square, ShapeFill.Solid, BackgroundKind.White, 32, 32, 20, 0, 0), 64);
        var ring = ShapesDatasetGenerator.Draw(new ShapeSpec(red, ShapeKind.Ring, ShapeFill.Solid, BackgroundKind.White, 32, 32, 20, 0, 0), 64);

        Assert.Equal((215, 35, 35), Pixel(square, 32, 32));
        Assert.Equal((215, 35, 35), Pixel(square, 32 - 16, 32 - 16));
        Assert.Equal((240, 240, 240), Pixel(square, 2, 2));
        Assert.Equal((240, 240, 240), Pixel(ring, 32, 32));
        Assert.Equal((215, 35, 35), Pixel(ring, 32 + 15, 32));
    }

    static (int, int, int) Pixel(SweepRunner.Diffusion.Previews.RgbImage image, int x, int y)
    {
        var offset = (y * image.Width + x) * 3;
        return (image.Pixels[offset], image.Pixels[offset + 1], image.Pixels[offset + 2]);
    }

    static string BackgroundWord(string caption) => caption.Split(' ')[^2];

    static (int R, int G, int B)[] BackgroundTones(string caption)
    {
        var kind = Enum.GetValues<BackgroundKind>().Single(b => ShapeVocabulary.Word(b) == BackgroundWord(caption));
        return kind == BackgroundKind.Checkered
            ? [ShapeVocabulary.CheckerLight, ShapeVocabulary.CheckerDark]
            : [ShapeVocabulary.BackgroundTone(kind)];
    }

    static double Distance((int R, int G, int B) a, (int R, int G, int B) b) =>
        Math.Sqrt((a.R - b.R) * (a.R - b.R) + (a.G - b.G) * (a.G - b.G) + (a.B - b.B) * (a.B - b.B));
}
