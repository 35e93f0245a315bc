using SweepRunner.Diffusion.Checkpoints;
using SweepRunner.Diffusion.Model;
using SweepRunner.TestSupport;

namespace SweepRunner.Diffusion.Tests.Model;

public class ModelLocatorTests
{
    [Fact]
    public void AFileIsASingleFileCheckpointWithItsTokenizerBesideIt()
    {
        using var folder = new TemporaryFolder();
        File.WriteAllText(folder.File("my-model.safetensors"), "");

        var location = ModelLocator.Resolve(folder.File("my-model.safetensors"));

        Assert.Equal(ModelFormat.SingleFile, location.Format);
        Assert.Equal("my-model", location.Name);
        Assert.Equal(folder.File("tokenizer"), location.TokenizerFolder);
    }

    [Fact]
    public void AFolderHoldingModelSafetensorsIsASingleFileCheckpoint()
    {
        using var folder = new TemporaryFolder();
        File.WriteAllText(folder.File("model.safetensors"), "");

        var location = ModelLocator.Resolve(folder.Path);

        Assert.Equal(ModelFormat.SingleFile, location.Format);
        Assert.Equal(folder.File("model.safetensors"), location.Path);
        Assert.Equal(folder.File("tokenizer"), location.TokenizerFolder);
    }

    [Fact]
    public void PickleCheckpointsAreRefusedWithTheConversionCommand()
    {
        using var folder = new TemporaryFolder();
        File.WriteAllBytes(folder.File("old.ckpt"), [0x80, 2]);

        var error = Assert.Throws<PickleCheckpointException>(() => ModelLocator.Resolve(folder.File("old.ckpt")));

        Assert.Contains("old.safetensors", error.Message);
    }

    [Fact]
    public void AMissingPathAndAnUnrelatedFolderAreExplained()
    {
        using var folder = new TemporaryFolder();

        var missing = Assert.Throws<ModelLoadException>(() => ModelLocator.Resolve(folder.File("nothing.safetensors")));
        var unrelated = Assert.Throws<ModelLoadException>(() => ModelLocator.Resolve(folder.Path));

        Assert.Contains("no such file or folder", missing.Message);
        Assert.Contains("demo", missing.Message);
        Assert.Contains("neither a diffusers model", unrelated.Message);
    }

    [Fact]
    public void TheDemoModelIsFoundInAParentFolderOrExplained()
    {
        using var root = new TemporaryFolder();
        var demo = Path.Combine(root.Path, "models", "demo");
        Directory.CreateDirectory(demo);
        File.WriteAllText(Path.Combine(demo, "model.safetensors"), "");
        var program = Path.Combine(root.Path, "bin", "Release");
        Directory.CreateDirectory(program);
        using var elsewhere = new TemporaryFolder();

        Assert.Equal(demo, DemoModel.Locate([program]));
        var error = Assert.Throws<ModelLoadException>(() => DemoModel.Locate([elsewhere.Path]));
        Assert.Contains(elsewhere.Path, error.Message);
        Assert.Contains("models/demo", error.Message.Replace('\\', '/'));
    }

    [Fact]
    public void AMissingTokenizerSaysWhereItLookedAndHowToProvideOne()
    {
        using var folder = new TemporaryFolder();
        File.WriteAllText(folder.File("m.safetensors"), "");
        var location = ModelLocator.Resolve(folder.File("m.safetensors"));

        var error = Assert.Throws<ModelLoadException>(() => TokenizerLocator.Load(location));

        Assert.Contains(folder.File("tokenizer"), error.Message);
        Assert.Contains("vocab.json", error.Message);
        Assert.Contains("merges.txt", error.Message);
        Assert.Contains("--tokenizer", error.Message);
    }
}
