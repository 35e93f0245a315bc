using SweepRunner.Diffusion.Checkpoints;
using SweepRunner.TestSupport;

namespace SweepRunner.Diffusion.Tests.Checkpoints;

public class PickleCheckpointTests
{
    [Theory]
    [InlineData("model.ckpt")]
    [InlineData("model.pt")]
    [InlineData("model.PTH")]
    public void PickleExtensionsAreRefusedWithAConversionCommand(string name)
    {
        using var folder = new TemporaryFolder();
        var path = folder.File(name);
        File.WriteAllBytes(path, [0x80, 0x02, 0x7d, 0x71]);
        var error = Assert.Throws<PickleCheckpointException>(() => SafetensorsFile.Open(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("arbitrary code", error.Message);
        Assert.Contains("safetensors.torch", error.Message);
        Assert.Contains("weights_only=True", error.Message);
        Assert.Contains(".safetensors", error.Message);
    }

    [Fact]
    public void ATorchZipUnderASafetensorsNameIsRecognisedAsAPickle()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("renamed.safetensors");
        File.WriteAllBytes(path, [(byte)'P', (byte)'K', 3, 4, 20, 0, 0, 0, 0, 0, 0, 0]);
        Assert.Throws<PickleCheckpointException>(() => SafetensorsFile.Open(path));
    }

    [Fact]
    public void ASafetensorsHeaderOf640BytesIsNotMistakenForAPickle()
    {
        // 640 = 0x280: the length prefix starts with 0x80 0x02, like a protocol-2 pickle.
        Assert.True(PickleCheckpoints.HasPickleSignature([0x80, 0x02, 0, 0, 0, 0, 0, 0]));
        using var folder = new TemporaryFolder();
        var path = folder.File("m.safetensors");
        var json = "{\"__metadata__\":{\"k\":\"" + new string('x', 640 - 25) + "\"}}";
        Assert.Equal(640, json.Length);
        var bytes = new byte[8 + 640];
        bytes[0] = 0x80;
        bytes[1] = 0x02;
        System.Text.Encoding.UTF8.GetBytes(json).CopyTo(bytes, 8);
        File.WriteAllBytes(path, bytes);
        using var file = SafetensorsFile.Open(path);
        Assert.Empty(file.Entries);
        Assert.Equal(640 - 25, file.Metadata["k"].Length);
    }
}
