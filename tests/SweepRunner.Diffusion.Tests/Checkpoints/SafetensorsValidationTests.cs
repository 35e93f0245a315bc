using System.Buffers.Binary;
using System.Text;
using SweepRunner.Diffusion.Checkpoints;
using SweepRunner.TestSupport;

namespace SweepRunner.Diffusion.Tests.Checkpoints;

public class SafetensorsValidationTests : IDisposable
{
    readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    string WriteRaw(byte[] header, int dataBytes, ulong? declaredLength = null, string name = "bad.safetensors")
    {
        var path = _folder.File(name);
        var bytes = new byte[8 + header.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, declaredLength ?? (ulong)header.Length);
        header.CopyTo(bytes, 8);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    string WriteRaw(string header, int dataBytes) => WriteRaw(Encoding.UTF8.GetBytes(header), dataBytes);

    SafetensorsFormatException Rejects(string path)
    {
        var error = Assert.Throws<SafetensorsFormatException>(() => SafetensorsFile.Open(path).Dispose());
        Assert.Contains(path, error.Message);
        return error;
    }

    static string Entry(string name, string dtype, string shape, long begin, long end) =>
        $"\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":{shape},\"data_offsets\":[{begin},{end}]}}";

    [Fact]
    public void AFileShorterThanTheLengthPrefixIsRejected()
    {
        var path = _folder.File("tiny.safetensors");
        File.WriteAllBytes(path, [1, 2, 3]);
        Assert.Contains("fewer than the 8-byte", Rejects(path).Message);
    }

    [Fact]
    public void AHugeDeclaredHeaderIsRejectedWithoutAllocatingIt()
    {
        var path = WriteRaw(Encoding.UTF8.GetBytes("{}"), 0, declaredLength: ulong.MaxValue);
        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Contains("more than the", Rejects(path).Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
    }

    [Fact]
    public void AHeaderLongerThanTheFileIsRejected()
    {
        var path = WriteRaw(Encoding.UTF8.GetBytes("{}"), 0, declaredLength: 50_000_000);
        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Contains("truncated", Rejects(path).Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
    }

    [Fact]
    public void InvalidUtf8IsRejected() =>
        Assert.Contains("UTF-8", Rejects(WriteRaw([(byte)'{', 0xff, 0xfe, (byte)'}'], 0)).Message);

    [Fact]
    public void InvalidJsonIsRejected() =>
        Assert.Contains("not valid JSON", Rejects(WriteRaw("{\"a\":", 0)).Message);

    [Fact]
    public void AHeaderThatIsNotAnObjectIsRejected() =>
        Assert.Contains("must be a JSON object", Rejects(WriteRaw("[1,2]", 0)).Message);

    [Fact]
    public void AnUnknownDtypeIsRejectedNamingTheTensor()
    {
        var error = Rejects(WriteRaw("{" + Entry("w", "F17", "[1]", 0, 4) + "}", 4));
        Assert.Equal("w", error.TensorName);
        Assert.Contains("unknown dtype 'F17'", error.Message);
    }

    [Fact]
    public void ANegativeDimensionIsRejected() =>
        Assert.Contains("negative", Rejects(WriteRaw("{" + Entry("w", "F32", "[-1,4]", 0, 0) + "}", 0)).Message);

    [Fact]
    public void AShapeWhoseElementCountOverflowsIsRejected()
    {
        var error = Rejects(WriteRaw("{" + Entry("w", "F32", "[4294967296,4294967296]", 0, 0) + "}", 0));
        Assert.Equal("w", error.TensorName);
        Assert.Contains("overflows", error.Message);
    }

    [Fact]
    public void AByteSizeThatOverflowsIsRejected() =>
        Assert.Contains("overflows", Rejects(WriteRaw("{" + Entry("w", "F64", "[2305843009213693952]", 0, 0) + "}", 0)).Message);

    [Fact]
    public void OffsetsPastTheDataAreaAreRejected()
    {
        var error = Rejects(WriteRaw("{" + Entry("w", "F32", "[4]", 0, 16) + "}", 8));
        Assert.Equal("w", error.TensorName);
        Assert.Contains("past the end of the data area (8 bytes)", error.Message);
    }

    [Fact]
    public void ABeginAfterTheEndIsRejected() =>
        Assert.Contains("begin after they end", Rejects(WriteRaw("{" + Entry("w", "F32", "[1]", 8, 4) + "}", 8)).Message);

    [Fact]
    public void ASizeThatDoesNotMatchTheShapeIsRejected()
    {
        var error = Rejects(WriteRaw("{" + Entry("w", "F16", "[3]", 0, 8) + "}", 8));
        Assert.Contains("hold 8 bytes but shape [3] of F16 needs 6", error.Message);
    }

    [Fact]
    public void OverlappingTensorsAreRejectedNamingBoth()
    {
        var error = Rejects(WriteRaw("{" + Entry("a", "F32", "[2]", 0, 8) + "," + Entry("b", "F32", "[2]", 4, 12) + "}", 12));
        Assert.Equal("b", error.TensorName);
        Assert.Contains("overlaps tensor 'a'", error.Message);
    }

    [Fact]
    public void AGapInTheDataAreaIsRejected() =>
        Assert.Contains("belong to no tensor", Rejects(WriteRaw("{" + Entry("a", "F32", "[1]", 4, 8) + "}", 8)).Message);

    [Fact]
    public void TrailingDataIsRejected() =>
        Assert.Contains("trailing data", Rejects(WriteRaw("{" + Entry("a", "F32", "[1]", 0, 4) + "}", 12)).Message);

    [Fact]
    public void ADuplicateKeyIsRejected() =>
        Assert.Contains("twice", Rejects(WriteRaw("{" + Entry("a", "F32", "[1]", 0, 4) + "," + Entry("a", "F32", "[1]", 0, 4) + "}", 4)).Message);

    [Fact]
    public void NonStringMetadataIsRejected() =>
        Assert.Contains("must be a string", Rejects(WriteRaw("{\"__metadata__\":{\"ss_network_dim\":8}}", 0)).Message);

    [Fact]
    public void DataOffsetsThatAreNotAPairAreRejected() =>
        Assert.Contains("data_offsets", Rejects(WriteRaw("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", 4)).Message);

    [Fact]
    public void ADtypeWithoutATorchEquivalentIsListedButNotLoaded()
    {
        var path = WriteRaw("{" + Entry("u", "U16", "[2]", 0, 4) + "}", 4);
        using var file = SafetensorsFile.Open(path);
        Assert.Equal(SafetensorsDtype.U16, file.GetEntry("u").Dtype);
        var error = Assert.Throws<SafetensorsFormatException>(() => file.Load("u"));
        Assert.Contains("'u'", error.Message);
    }

    [Fact]
    public void AMissingTensorIsNamed()
    {
        var path = WriteRaw("{" + Entry("a", "F32", "[1]", 0, 4) + "}", 4);
        using var file = SafetensorsFile.Open(path);
        var error = Assert.Throws<KeyNotFoundException>(() => file.Load("b"));
        Assert.Contains("'b'", error.Message);
    }
}
