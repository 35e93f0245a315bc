using System.Security.Cryptography;
using SweepRunner.Core.Files;
using SweepRunner.TestSupport;

namespace SweepRunner.Core.Tests.Files;

public class LegacyModelHashTests
{
    static byte[] Bytes(int length)
    {
        var bytes = new byte[length];
        new Random(3).NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public void ItIsTheSha256OfThe64KiBAtOneMiBCutTo8Digits()
    {
        using var folder = new TemporaryFolder();
        var bytes = Bytes(0x100000 + 0x10000 + 5000);
        var path = Path.Combine(folder.Path, "model.safetensors");
        File.WriteAllBytes(path, bytes);
        var expected = Convert.ToHexStringLower(SHA256.HashData(bytes.AsSpan(0x100000, 0x10000)))[..8];

        Assert.Equal(expected, LegacyModelHash.OfFile(path));
        using var appended = new LegacyModelHash();
        for (var start = 0; start < bytes.Length; start += 7919)
            appended.Append(bytes.AsSpan(start, Math.Min(7919, bytes.Length - start)));
        Assert.Equal(expected, appended.Finish());
    }

    [Fact]
    public void AShorterFileHashesWhatLiesInTheWindowOrNothing()
    {
        using var folder = new TemporaryFolder();
        var partial = Bytes(0x100000 + 100);
        var path = Path.Combine(folder.Path, "partial.safetensors");
        File.WriteAllBytes(path, partial);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(partial.AsSpan(0x100000)))[..8], LegacyModelHash.OfFile(path));

        var small = Path.Combine(folder.Path, "small.safetensors");
        File.WriteAllBytes(small, Bytes(1000));
        // sha256 of no bytes, which is what sd-scripts writes for every LoRA under 1 MiB.
        Assert.Equal("e3b0c442", LegacyModelHash.OfFile(small));
    }
}
