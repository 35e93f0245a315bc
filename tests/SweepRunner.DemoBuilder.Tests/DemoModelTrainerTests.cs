using System.Security.Cryptography;
using SweepRunner.Diffusion.Checkpoints;
using SweepRunner.DemoBuilder;
using SweepRunner.Diffusion.Model;
using SweepRunner.TestSupport;
using SweepRunner.Diffusion.Tokenizer;
using static TorchSharp.torch;

namespace SweepRunner.DemoBuilder.Tests;

public class DemoModelTrainerTests
{
    static readonly DemoModelOptions Short = new() { Images = 12, VaeSteps = 3, VaeBatch = 4, Steps = 3, Batch = 4, Threads = 2 };

    [Fact]
    public void TrainingTwiceWithTheSameOptionsWritesIdenticalFiles()
    {
        using var first = new TemporaryFolder();
        using var second = new TemporaryFolder();

        var a = DemoModelTrainer.Train(first.Path, Short);
        var b = DemoModelTrainer.Train(second.Path, Short);

        Assert.Equal(a.ModelSha256, b.ModelSha256);
        Assert.Equal(Sha256(a.ModelPath), a.ModelSha256);
        Assert.Equal(a.ModelBytes, new FileInfo(a.ModelPath).Length);
        foreach (var name in new[] { "vocab.json", "merges.txt" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(a.TokenizerFolder, name)), File.ReadAllBytes(Path.Combine(b.TokenizerFolder, name)));
    }

    [Fact]
    public void AnotherSeedTrainsAnotherModel()
    {
        using var first = new TemporaryFolder();
        using var second = new TemporaryFolder();

        var a = DemoModelTrainer.Train(first.Path, Short);
        var b = DemoModelTrainer.Train(second.Path, Short with { Seed = 2 });

        Assert.NotEqual(a.ModelSha256, b.ModelSha256);
    }

    [Fact]
    public void TheFilesLoadStrictlyAsTheTinyModelWithTheirMetadataAndTokenizer()
    {
        using var folder = new TemporaryFolder();
        var progress = new List<DemoTrainingProgress>();

        var report = DemoModelTrainer.Train(folder.Path, Short, progress.Add, reportEvery: 2);

        Assert.Equal(Path.Combine(folder.Path, "model.safetensors"), report.ModelPath);
        using var file = SafetensorsFile.Open(report.ModelPath);
        Assert.Equal("tiny", file.Metadata[DemoModelFiles.ConfigKey]);
        Assert.Equal("64", file.Metadata[DemoModelFiles.ImageSizeKey]);
        Assert.Equal(Short.ToCommandLine(), file.Metadata[DemoModelFiles.ReproduceKey]);
        Assert.Contains("coloured shapes", file.Metadata[DemoModelFiles.DescriptionKey]);
        Assert.All(file.Entries, e => Assert.Equal(SafetensorsDtype.F16, e.Dtype));

        using var scope = NewDisposeScope();
        using var model = new StableDiffusionModel(DiffusionModelConfig.Tiny);
        var loaded = model.LoadStateDict(file.Entries.Select(e => KeyValuePair.Create(e.Name, file.Load(e.Name, ScalarType.Float32))).ToList());
        Assert.Equal(model.parameters().Count(), loaded.Loaded);

        var tokenizer = ClipTokenizer.FromFolder(report.TokenizerFolder);
        Assert.Equal(report.VocabularySize, tokenizer.VocabularySize);
        Assert.InRange(tokenizer.VocabularySize, ClipBpeTrainer.BaseTokenCount + 2, DiffusionModelConfig.Tiny.TextEncoder.VocabSize);
        Assert.Equal(["on</w>", "background</w>"], tokenizer.Tokenize("on background"));

        Assert.Equal(
            [DemoTrainingStage.Dataset, DemoTrainingStage.Tokenizer, DemoTrainingStage.Vae, DemoTrainingStage.Vae, DemoTrainingStage.Latents,
             DemoTrainingStage.Diffusion, DemoTrainingStage.Diffusion, DemoTrainingStage.Save],
            progress.Select(p => p.Stage));
        Assert.All(progress.Where(p => p.Stage is DemoTrainingStage.Vae or DemoTrainingStage.Diffusion), p => Assert.True(double.IsFinite(p.Loss!.Value)));
        Assert.InRange(report.LatentStd, 0.9, 1.1);
    }

    static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
