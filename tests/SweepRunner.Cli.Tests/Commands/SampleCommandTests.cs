using SweepRunner.Cli.Tests.Support;
using SweepRunner.Core.Previews;
using SweepRunner.Diffusion.Checkpoints;
using SweepRunner.Diffusion.Lora;
using SweepRunner.Diffusion.Model;
using SweepRunner.Diffusion.Previews;
using SweepRunner.Diffusion.Tokenizer;
using static TorchSharp.torch;

namespace SweepRunner.Cli.Tests.Commands;

/// <summary>A Tiny model with random weights, its tokenizer and a LoRA, written to a temporary folder.</summary>
public sealed class TinyModelFolder : IDisposable
{
    public TinyModelFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sweeprunner-cli-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var model = new StableDiffusionModel(DiffusionModelConfig.Tiny);
        using (no_grad())
            foreach (var parameter in model.parameters())
                if (parameter.dim() > 1) parameter.normal_(0, 1.0 / Math.Sqrt(parameter.numel() / parameter.shape[0]));
        SingleFileCheckpoint.Save(model, Checkpoint);
        ClipBpeTrainer.Train(["a red circle on a blue background", "a green square"], 600).Save(System.IO.Path.Combine(Path, "tokenizer"));
        var lora = new List<(string, Tensor)>();
        foreach (var slot in model.LoraSlots(LoraTargets.Default))
        {
            lora.Add(($"{slot.KohyaName}.lora_down.weight", randn(4, slot.InFeatures) * 0.5));
            lora.Add(($"{slot.KohyaName}.lora_up.weight", slot.Kind == LoraSlotKind.Linear ? randn(slot.OutFeatures, 4) * 0.5 : randn(slot.OutFeatures, 4, 1, 1) * 0.5));
            lora.Add(($"{slot.KohyaName}.alpha", tensor(4f)));
        }
        SafetensorsWriter.Write(Lora, lora);
    }

    public string Path { get; }

    public string Checkpoint => System.IO.Path.Combine(Path, "tiny-model.safetensors");

    public string Lora => System.IO.Path.Combine(Path, "my-style.safetensors");

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}

public class SampleCommandTests : IClassFixture<TinyModelFolder>
{
    readonly TinyModelFolder _folder;

    public SampleCommandTests(TinyModelFolder folder) => _folder = folder;

    string[] Args(string output, params string[] more) =>
        ["sample", "--model", _folder.Checkpoint, "--prompt", "a red circle", "--negative", "blurry", "--steps", "4", "--cfg", "6",
            "--sampler", "euler_a", "--seed", "7", "--width", "64", "--height", "64", "--out", _folder.File(output), .. more];

    [Fact]
    public void WritesAPngWithAutomatic1111Parameters()
    {
        var result = CliProcess.Run(_folder.Path, Args("a.png"));

        Assert.True(result.ExitCode == 0, result.Out + result.Error);
        Assert.Contains("a.png", result.Out);
        var parsed = Infotext.Parse(PreviewPng.ReadParameters(_folder.File("a.png"))!);
        Assert.Equal("a red circle", parsed.Prompt);
        Assert.Equal("blurry", parsed.NegativePrompt);
        Assert.Equal("4", parsed.Values["Steps"]);
        Assert.Equal("Euler a", parsed.Values["Sampler"]);
        Assert.Equal("6.0", parsed.Values["CFG scale"]);
        Assert.Equal("7", parsed.Values["Seed"]);
        Assert.Equal("64x64", parsed.Values["Size"]);
        Assert.Equal("tiny-model", parsed.Values["Model"]);
    }

    [Fact]
    public void TheSameSeedWritesTheSameImageAndALoraChangesIt()
    {
        var first = CliProcess.Run(_folder.Path, Args("s1.png"));
        var second = CliProcess.Run(_folder.Path, Args("s2.png"));
        var styled = CliProcess.Run(_folder.Path, Args("s3.png", "--lora", _folder.Lora, "--lora-weight", "0.8"));

        Assert.True(first.ExitCode == 0 && second.ExitCode == 0 && styled.ExitCode == 0, first.Error + second.Error + styled.Error);
        Assert.Equal(File.ReadAllBytes(_folder.File("s1.png")), File.ReadAllBytes(_folder.File("s2.png")));
        Assert.NotEqual(Pixels(_folder.File("s1.png")), Pixels(_folder.File("s3.png")));
        var parsed = Infotext.Parse(PreviewPng.ReadParameters(_folder.File("s3.png"))!);
        Assert.Equal("a red circle <lora:my-style:0.8>", parsed.Prompt);
        Assert.StartsWith("my-style: ", parsed.Values["Lora hashes"]);
    }

    [Theory]
    [InlineData("--width", "100", "multiple of 64")]
    [InlineData("--height", "72", "multiple of 64")]
    [InlineData("--sampler", "dpm_2", "dpm_2")]
    [InlineData("--model", "missing.safetensors", "missing.safetensors")]
    [InlineData("--tokenizer", "no-tokenizer-here", "vocab.json")]
    public void BadInputExitsWithCode2AndSaysWhy(string option, string value, string expected)
    {
        var args = Args("bad.png").ToList();
        var index = args.IndexOf(option);
        if (index >= 0) args[index + 1] = value;
        else args.AddRange([option, value]);

        var result = CliProcess.Run(_folder.Path, [.. args]);

        Assert.True(result.ExitCode == 2, result.Out + result.Error);
        Assert.Contains(expected, result.Error + result.Out);
        Assert.False(File.Exists(_folder.File("bad.png")));
    }

    [Fact]
    public void ALoraFileGivenAsTheModelIsExplained()
    {
        var args = Args("lora-as-model.png").ToList();
        args[args.IndexOf("--model") + 1] = _folder.Lora;

        var result = CliProcess.Run(_folder.Path, [.. args]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--lora", result.Error);
    }

    static byte[] Pixels(string png)
    {
        using var image = SixLabors.ImageSharp.Image.Load<SixLabors.ImageSharp.PixelFormats.Rgb24>(png);
        var bytes = new byte[image.Width * image.Height * 3];
        image.CopyPixelDataTo(bytes);
        return bytes;
    }
}
