using System.Security.Cryptography;
using SweepRunner.Core.Results;
using SweepRunner.Core.Tests.Files;

namespace SweepRunner.Core.Tests.Results;

public class ArtifactFileTests
{
    static readonly byte[] Data = [9, 8, 7, 6];

    [Fact]
    public void DescribingASafetensorsFileRecordsTheWholeFileHashAndTheDataHash()
    {
        using var folder = new TemporaryFolder();
        var path = Path.Combine(folder.Path, "sweep", "job", "lora.safetensors");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var bytes = SafetensorsDataHashTests.SafetensorsBytes("""{"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]}}""", Data);
        File.WriteAllBytes(path, bytes);

        var artifact = ArtifactFile.Describe(folder.Path, path);

        Assert.Equal("sweep/job/lora.safetensors", artifact.RelativePath);
        Assert.Equal(bytes.Length, artifact.Bytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), artifact.Sha256);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Data)), artifact.DataSha256);
    }

    [Fact]
    public void OtherFilesHaveNoDataHash()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("e1-p0.png");
        File.WriteAllBytes(path, Data);
        var artifact = ArtifactFile.Describe(folder.Path, path);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Data)), artifact.Sha256);
        Assert.Null(artifact.DataSha256);
    }

    [Fact]
    public void AFileNamedSafetensorsThatIsNotOneIsRefused()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("lora.safetensors");
        File.WriteAllText(path, "not really a safetensors file");
        var refusal = Assert.Throws<InvalidDataException>(() => ArtifactFile.Describe(folder.Path, path));
        Assert.Contains(path, refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheDataHashIsKeptInLowerCaseAndMustBeASha256()
    {
        var upper = new string('A', 64);
        Assert.Equal(new string('a', 64), new ArtifactFile("a.safetensors", 1, new string('b', 64), upper).DataSha256);
        Assert.Null(new ArtifactFile("a.png", 1, new string('b', 64)).DataSha256);
        var refusal = Assert.Throws<ArgumentException>(() => new ArtifactFile("a.safetensors", 1, new string('b', 64), "abc"));
        Assert.Contains("data SHA-256", refusal.Message, StringComparison.Ordinal);
        Assert.NotEqual(new ArtifactFile("a.safetensors", 1, new string('b', 64)), new ArtifactFile("a.safetensors", 1, new string('b', 64), upper));
    }
}
