using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using SweepRunner.Core.Files;
using SweepRunner.Core.Results;
using SweepRunner.Diffusion.Checkpoints;
using SweepRunner.TestSupport;
using TorchSharp;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Tests.Checkpoints;

public class SafetensorsRoundTripTests
{
    [Fact]
    public void TensorsOfEveryCommonDtypeAndTheMetadataSurviveARoundTrip()
    {
        using var scope = NewDisposeScope();
        using var folder = new TemporaryFolder();
        var path = folder.File("lora.safetensors");
        var f32 = arange(0, 12, ScalarType.Float32).reshape(3, 4) / 7;
        var f16 = (arange(0, 6, ScalarType.Float32) / 3).to_type(ScalarType.Float16).reshape(2, 3);
        var bf16 = (arange(0, 5, ScalarType.Float32) - 2.5).to_type(ScalarType.BFloat16);
        var i64 = tensor(new long[] { long.MinValue, -1, 0, long.MaxValue });
        var i32 = tensor(new[] { int.MinValue, 7, int.MaxValue });
        var flags = tensor(new[] { true, false, true });
        var alpha = tensor(4f);
        var metadata = new Dictionary<string, string>
        {
            ["ss_network_dim"] = "8",
            ["ss_tag_frequency"] = "{\"10_cat\": {\"a cat\": 3}}",
            ["ss_sd_model_name"] = "modèle, \"quoted\"\nline 2",
        };

        var result = SafetensorsWriter.Write(path,
            [("w.f32", f32), ("w.f16", f16), ("w.bf16", bf16), ("i.i64", i64), ("i.i32", i32), ("m.bool", flags), ("alpha", alpha)],
            metadata);

        Assert.Equal(new FileInfo(path).Length, result.Length);
        using var file = SafetensorsFile.Open(path);
        Assert.Equal(metadata, file.Metadata);
        Assert.Equal(7, file.Entries.Count);
        Assert.Equal(SafetensorsDtype.BF16, file.GetEntry("w.bf16").Dtype);
        Assert.Equal(new long[] { 2, 3 }, file.GetEntry("w.f16").Shape);
        Assert.Empty(file.GetEntry("alpha").Shape);
        foreach (var (name, expected) in new[] { ("w.f32", f32), ("w.f16", f16), ("w.bf16", bf16), ("i.i64", i64), ("i.i32", i32), ("m.bool", flags), ("alpha", alpha) })
        {
            var loaded = file.Load(name);
            Assert.Equal(expected.dtype, loaded.dtype);
            Assert.Equal(expected.shape, loaded.shape);
            Assert.True(expected.eq(loaded).all().item<bool>(), name);
        }
    }

    [Fact]
    public void LoadConvertsTheDtypeWhenAsked()
    {
        using var scope = NewDisposeScope();
        using var folder = new TemporaryFolder();
        var path = folder.File("half.safetensors");
        var half = tensor(new float[] { 0.5f, -2f, 1024f }).to_type(ScalarType.Float16);
        SafetensorsWriter.Write(path, [("x", half)]);
        using var file = SafetensorsFile.Open(path);
        var loaded = file.Load("x", ScalarType.Float32, CPU);
        Assert.Equal(ScalarType.Float32, loaded.dtype);
        Assert.Equal(new[] { 0.5f, -2f, 1024f }, loaded.data<float>().ToArray());
    }

    [Fact]
    public void TheHeaderMatchesTheReferenceLayoutByteForByte()
    {
        // The reference implementation's documented example: one I32 [2,2] tensor called "test".
        using var scope = NewDisposeScope();
        using var folder = new TemporaryFolder();
        var path = folder.File("ref.safetensors");
        SafetensorsWriter.Write(path, [("test", zeros(2, 2, ScalarType.Int32))]);
        var bytes = File.ReadAllBytes(path);
        const string json = "{\"test\":{\"dtype\":\"I32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}";
        Assert.Equal(60, json.Length);
        Assert.Equal(64UL, BinaryPrimitives.ReadUInt64LittleEndian(bytes));
        Assert.Equal(json + "    ", Encoding.UTF8.GetString(bytes, 8, 64));
        Assert.Equal(8 + 64 + 16, bytes.Length);
    }

    [Fact]
    public void TheReaderAcceptsTheReferenceExampleWithItsUnpaddedHeader()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("example.safetensors");
        var json = Encoding.UTF8.GetBytes("{\"test\":{\"dtype\":\"I32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}");
        var bytes = new byte[8 + json.Length + 16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)json.Length);
        json.CopyTo(bytes, 8);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8 + json.Length + 12), 42);
        File.WriteAllBytes(path, bytes);

        using var scope = NewDisposeScope();
        using var file = SafetensorsFile.Open(path);
        Assert.Equal(new[] { 0, 0, 0, 42 }, file.Load("test").data<int>().ToArray());
    }

    [Fact]
    public void TensorsAreOrderedByDtypeAlignmentThenByName()
    {
        using var scope = NewDisposeScope();
        using var folder = new TemporaryFolder();
        var path = folder.File("order.safetensors");
        SafetensorsWriter.Write(path,
            [("b", zeros(2, ScalarType.Float16)), ("a", zeros(2, ScalarType.Float16)), ("z", zeros(1, ScalarType.Float32)), ("c", zeros(1, ScalarType.Int64))],
            new Dictionary<string, string> { ["k"] = "v" });
        var bytes = File.ReadAllBytes(path);
        var length = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, length % 8);
        var header = Encoding.UTF8.GetString(bytes, 8, length);
        Assert.StartsWith("{\"__metadata__\":{\"k\":\"v\"},\"c\":", header);
        Assert.True(header.IndexOf("\"z\"", StringComparison.Ordinal) < header.IndexOf("\"a\"", StringComparison.Ordinal));
        Assert.True(header.IndexOf("\"a\"", StringComparison.Ordinal) < header.IndexOf("\"b\"", StringComparison.Ordinal));
        using var file = SafetensorsFile.Open(path);
        Assert.Equal(new[] { "c", "z", "a", "b" }, file.Entries.Select(e => e.Name));
    }

    [Fact]
    public void TheModelHashIsTheSha256OfTheBytesAfterTheHeaderWhateverTheMetadata()
    {
        using var scope = NewDisposeScope();
        using var folder = new TemporaryFolder();
        var tensors = new (string, Tensor)[] { ("lora_up.weight", randn(4, 2)), ("lora_down.weight", randn(2, 4)), ("alpha", tensor(2f)) };
        var first = SafetensorsWriter.Write(folder.File("a.safetensors"), tensors, new Dictionary<string, string> { ["ss_seed"] = "1" });
        var second = SafetensorsWriter.Write(folder.File("b.safetensors"), tensors, new Dictionary<string, string> { ["ss_seed"] = "1", ["modelspec.title"] = "x" });

        var bytes = File.ReadAllBytes(first.Path);
        var dataOffset = 8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        var independent = Convert.ToHexStringLower(SHA256.HashData(bytes.AsSpan(dataOffset)));
        Assert.Equal(independent, first.ModelHash);
        Assert.Equal(independent, second.ModelHash);
        Assert.Equal(independent, SafetensorsFile.ComputeModelHash(second.Path));
        Assert.Equal(independent, SafetensorsWriter.ComputeModelHash(tensors));
    }

    [Fact]
    public void CoresDataHashOfAWrittenFileIsTheWritersModelHashAndWhatTheStoreRecords()
    {
        using var scope = NewDisposeScope();
        using var folder = new TemporaryFolder();
        var tensors = new (string, Tensor)[] { ("lora_up.weight", randn(8, 3)), ("lora_down.weight", randn(3, 8, dtype: ScalarType.Float16)), ("alpha", tensor(3f)) };
        var early = SafetensorsWriter.Write(folder.File("early.safetensors"), tensors, new Dictionary<string, string> { ["ss_training_started_at"] = "1700000000.0" });
        var late = SafetensorsWriter.Write(folder.File("late.safetensors"), tensors, new Dictionary<string, string> { ["ss_training_started_at"] = "1700003600.25" });

        var bytes = File.ReadAllBytes(early.Path);
        var headerLength = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(bytes));
        var independent = Convert.ToHexStringLower(SHA256.HashData(bytes.AsSpan(8 + headerLength)));
        Assert.Equal(independent, early.ModelHash);
        Assert.Equal(independent, SafetensorsDataHash.OfFile(early.Path));
        Assert.Equal(independent, SafetensorsDataHash.OfFile(late.Path));

        var earlyArtifact = ArtifactFile.Describe(folder.Path, early.Path);
        var lateArtifact = ArtifactFile.Describe(folder.Path, late.Path);
        Assert.Equal((independent, independent), (earlyArtifact.DataSha256, lateArtifact.DataSha256));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), earlyArtifact.Sha256);
        Assert.NotEqual(earlyArtifact.Sha256, lateArtifact.Sha256);
    }

    [Fact]
    public void NonContiguousTensorsAreWrittenInLogicalOrder()
    {
        using var scope = NewDisposeScope();
        using var folder = new TemporaryFolder();
        var path = folder.File("t.safetensors");
        var transposed = arange(0, 6, ScalarType.Float32).reshape(2, 3).t();
        Assert.False(transposed.is_contiguous());
        SafetensorsWriter.Write(path, [("t", transposed)]);
        using var file = SafetensorsFile.Open(path);
        Assert.Equal(new[] { 0f, 3f, 1f, 4f, 2f, 5f }, file.Load("t").data<float>().ToArray());
    }

    [Fact]
    public void LoadingATensorAllocatesNoManagedCopyOfItsData()
    {
        using var scope = NewDisposeScope();
        using var folder = new TemporaryFolder();
        var path = folder.File("big.safetensors");
        SafetensorsWriter.Write(path, [("big", ones(4096, 4096))]); // 64 MiB
        using var file = SafetensorsFile.Open(path);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var loaded = file.Load("big");
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 1 << 20, $"loading a 64 MiB tensor allocated {allocated} managed bytes");
        Assert.Equal(4096f * 4096f, loaded.sum().item<float>());
    }

    [Fact]
    public void WriterRejectsDuplicateAndReservedNames()
    {
        using var scope = NewDisposeScope();
        using var folder = new TemporaryFolder();
        var duplicate = Assert.Throws<ArgumentException>(() =>
            SafetensorsWriter.Write(folder.File("d.safetensors"), [("x", zeros(1)), ("x", zeros(1))]));
        Assert.Contains("'x'", duplicate.Message);
        Assert.Throws<ArgumentException>(() =>
            SafetensorsWriter.Write(folder.File("m.safetensors"), [("__metadata__", zeros(1))]));
        Assert.Empty(Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void TheLegacyHashComputedWithoutWritingIsThatOfTheFileWrittenWithTheSameMetadata()
    {
        using var folder = new TemporaryFolder();
        using var scope = NewDisposeScope();
        // 2 MiB of data, so the 64 KiB window at 1 MiB lies in the tensors and moves with the header's length.
        var tensors = new List<(string, Tensor)> { ("b.weight", randn(512, 1024)), ("a.weight", randn(8, 8)) };
        var metadata = new Dictionary<string, string> { ["ss_epoch"] = "3", ["ss_output_name"] = "lora" };
        var path = Path.Combine(folder.Path, "lora.safetensors");
        SafetensorsWriter.Write(path, tensors, metadata);

        var legacy = SafetensorsWriter.ComputeLegacyHash(tensors, metadata);

        Assert.Equal(LegacyModelHash.OfFile(path), legacy);
        Assert.Equal(8, legacy.Length);
        Assert.NotEqual(legacy, SafetensorsWriter.ComputeLegacyHash(tensors, new Dictionary<string, string> { ["ss_epoch"] = "30" }));
    }
}
