using SweepRunner.DemoBuilder;
using SweepRunner.Diffusion.Families;
using SweepRunner.Diffusion.Model;
using SweepRunner.Diffusion.Tokenizer;
using SweepRunner.TestSupport;

namespace SweepRunner.DemoBuilder.Tests;

public class DemoModelFilesTests
{
    /// <summary>
    /// The committed demo model loads through <see cref="ModelLoader"/> as <c>demo</c>, and the builder's writer (the
    /// shared <see cref="SingleFileCheckpoint"/>) writes its weights back byte for byte, into a folder that loads again.
    /// </summary>
    [Fact]
    public void TheBuildersWriterReproducesTheCommittedDemoFileAndTheResultLoads()
    {
        var location = ModelLocator.Resolve(DemoModel.Name);
        using var demo = ModelLoader.Load(location);
        Assert.Equal(DemoModel.Name, location.Name);
        Assert.Equal(ModelConfigs.TinyName, ModelConfigs.NameOf(demo.Config));
        Assert.Same(Sd1Family.Instance, demo.Family);

        using var folder = new TemporaryFolder();
        var (path, bytes, sha) = DemoModelFiles.Write(folder.Path, demo, ClipBpeTrainer.Train(["a red circle on a white background"], 600), new DemoModelOptions());

        var committed = File.ReadAllBytes(RepositoryFiles.Path("models/demo/model.safetensors"));
        Assert.True(committed.AsSpan().SequenceEqual(File.ReadAllBytes(path)), "the rewritten demo model differs from the committed file");
        Assert.Equal(committed.LongLength, bytes);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(committed)), sha);

        using var reloaded = ModelLoader.Load(ModelLocator.Resolve(folder.Path));
        ModelFiles.AssertSameWeights(demo, reloaded);
    }
}
