using SweepRunner.Cli.Tests.Support;
using SweepRunner.Core.Previews;
using SweepRunner.Core.Settings;
using SweepRunner.Diffusion.Model;
using SweepRunner.Diffusion.Previews;

namespace SweepRunner.Cli.Tests.Commands;

/// <summary>The trainer's previews and <c>sweeprunner sample</c> are one pipeline: a preview can be reproduced exactly.</summary>
public class SampleMatchesPreviewTests
{
    [Theory]
    [InlineData("ddim")]
    [InlineData("euler_a")]
    public void SampleWithTheSavedLoraAndThePreviewsSettingsGivesThePreviewsPixels(string sampler)
    {
        using var setup = new TinyTrainingSetup();
        var prompts = SamplePromptFileParser.Parse($"a photo of sks person --n a photo of a person --w 64 --h 64 --s 3 --d 9 --l 6 --ss {sampler}\n", "p.txt").Prompts;
        // float LoRA files hold exactly the weights the final preview was rendered with (it comes just before the final save).
        var settings = setup.Settings((SettingsCatalog.Epochs, 1L), (SettingsCatalog.SampleEveryNEpochs, 1L), (SettingsCatalog.SavePrecision, "float"),
            (SettingsCatalog.ClipSkip, 2L), (SettingsCatalog.LearningRate, 3e-2));
        var result = setup.Train(settings, "run", prompts: prompts);
        var preview = Assert.Single(result.Previews).Path;
        // The base model as a checkpoint file; the setup's tokenizer/ folder sits beside it, where sample looks.
        var checkpoint = setup.CheckpointPath;
        SingleFileCheckpoint.Save(setup.Model, checkpoint);
        var output = Path.Combine(setup.Folder.Path, "sample.png");

        var run = CliProcess.Run(setup.Folder.Path, "sample", "--model", checkpoint, "--lora", result.LoraFiles[^1].Path, "--prompt", "a photo of sks person",
            "--negative", "a photo of a person", "--steps", "3", "--cfg", "6", "--sampler", sampler, "--seed", "9", "--width", "64", "--height", "64",
            "--clip-skip", "2", "--out", output);

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        var pixels = Pixels(output);
        Assert.Equal(Pixels(preview), pixels);
        Assert.True(pixels.Distinct().Count() > 16, "the image should not be flat");
        // The trained LoRA takes part: without it the same request gives other pixels.
        var plain = CliProcess.Run(setup.Folder.Path, "sample", "--model", checkpoint, "--prompt", "a photo of sks person", "--negative", "a photo of a person",
            "--steps", "3", "--cfg", "6", "--sampler", sampler, "--seed", "9", "--width", "64", "--height", "64", "--clip-skip", "2", "--out", output + ".plain.png");
        Assert.True(plain.ExitCode == 0, plain.Out + plain.Error);
        Assert.NotEqual(pixels, Pixels(output + ".plain.png"));

        // The infotexts agree, the LoRA included: the preview names the file its weights were saved to and that file's short hash.
        var fromPreview = Infotext.Parse(PreviewPng.ReadParameters(preview)!);
        var fromSample = Infotext.Parse(PreviewPng.ReadParameters(output)!);
        Assert.Equal("a photo of sks person <lora:lora:1>", fromPreview.Prompt);
        Assert.Equal(fromSample.Prompt, fromPreview.Prompt);
        Assert.Equal(fromPreview.NegativePrompt, fromSample.NegativePrompt);
        Assert.Equal("a photo of a person", fromPreview.NegativePrompt);
        Assert.Equal(fromSample.Values, fromPreview.Values);
        Assert.Equal($"lora: {result.LoraFiles[^1].ModelHash[..12]}", fromPreview.Values["Lora hashes"]);
        Assert.Equal("2", fromPreview.Values["Clip skip"]);
    }

    static byte[] Pixels(string png)
    {
        using var image = SixLabors.ImageSharp.Image.Load<SixLabors.ImageSharp.PixelFormats.Rgb24>(png);
        var bytes = new byte[image.Width * image.Height * 3];
        image.CopyPixelDataTo(bytes);
        return bytes;
    }
}
