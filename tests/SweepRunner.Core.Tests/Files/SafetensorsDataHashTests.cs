using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using SweepRunner.Core.Files;

namespace SweepRunner.Core.Tests.Files;

public class SafetensorsDataHashTests
{
    /// <summary>A safetensors file laid out by hand: the 8-byte little-endian header length, the JSON header, the data.</summary>
    internal static byte[] SafetensorsBytes(string headerJson, byte[] data)
    {
        var header = Encoding.UTF8.GetBytes(headerJson);
        var bytes = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + header.Length);
        return bytes;
    }

    static readonly byte[] Data = [1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 128, 63];

    static string Header(string time) =>
        $$$"""{"__metadata__":{"ss_training_started_at":"{{{time}}}"},"a":{"dtype":"F32","shape":[3],"data_offsets":[0,12]}}""";

    [Fact]
    public void TheDataHashIsTheSha256OfTheBytesAfterTheHeaderSoMetadataDoNotChangeIt()
    {
        using var folder = new TemporaryFolder();
        var first = folder.File("a.safetensors");
        var second = folder.File("b.safetensors");
        File.WriteAllBytes(first, SafetensorsBytes(Header("1700000000.0"), Data));
        File.WriteAllBytes(second, SafetensorsBytes(Header("1700009999.5") + "    ", Data));

        var expected = Convert.ToHexStringLower(SHA256.HashData(Data));
        Assert.Equal(expected, SafetensorsDataHash.OfFile(first));
        Assert.Equal(expected, SafetensorsDataHash.OfFile(second));
        Assert.NotEqual(SHA256.HashData(File.ReadAllBytes(first)), SHA256.HashData(File.ReadAllBytes(second)));
    }

    [Fact]
    public void AFileWithoutDataHasTheHashOfNoBytes()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("empty.safetensors");
        File.WriteAllBytes(path, SafetensorsBytes("{}      ", []));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(ReadOnlySpan<byte>.Empty)), SafetensorsDataHash.OfFile(path));
    }

    [Fact]
    public void DataLargerThanTheReadBufferIsHashedWhole()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("big.safetensors");
        var data = new byte[(1 << 20) * 2 + 13];
        new Random(7).NextBytes(data);
        File.WriteAllBytes(path, SafetensorsBytes("{}      ", data));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data)), SafetensorsDataHash.OfFile(path));
    }

    [Fact]
    public void TheHasherGivesTheSameHashFromPiecesAndStartsOverAfterFinishing()
    {
        using var hasher = new SafetensorsDataHasher();
        hasher.Append(Data.AsSpan(0, 5));
        hasher.Append(Data.AsSpan(5));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Data)), hasher.Finish());
        hasher.Append(Data);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Data)), hasher.Finish());
    }

    [Theory]
    [InlineData(new byte[] { 1, 2, 3 }, "fewer than the 8-byte header length")]
    [InlineData(new byte[] { 200, 0, 0, 0, 0, 0, 0, 0, 123, 125 }, "declares a safetensors header of 200 bytes but only 2 bytes follow")]
    [InlineData(new byte[] { 255, 255, 255, 255, 255, 255, 255, 255, 123, 125 }, "only 2 bytes follow")]
    public void AFileThatCannotHoldItsHeaderIsRefusedNamingIt(byte[] bytes, string expected)
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("broken.safetensors");
        File.WriteAllBytes(path, bytes);
        var refusal = Assert.Throws<InvalidDataException>(() => SafetensorsDataHash.OfFile(path));
        Assert.Contains(path, refusal.Message, StringComparison.Ordinal);
        Assert.Contains(expected, refusal.Message, StringComparison.Ordinal);
    }
}
