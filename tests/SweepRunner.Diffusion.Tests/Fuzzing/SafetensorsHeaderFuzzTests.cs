using System.Buffers.Binary;
using System.Text;
using SweepRunner.Diffusion.Checkpoints;
using SweepRunner.TestSupport.Fuzzing;
using Xunit.Abstractions;

namespace SweepRunner.Diffusion.Tests.Fuzzing;

/// <summary>
/// Bounded fuzzing of the safetensors header reader (it runs on every checkpoint and LoRA file a user names): mutated
/// whole files through <see cref="SafetensorsFile.ReadHeader(string)"/>, and mutated header JSON through
/// <see cref="SafetensorsHeader.Parse"/>. Only <see cref="SafetensorsFormatException"/> (and the pickle refusal) may
/// come out, and no case may take over two seconds.
/// </summary>
public sealed class SafetensorsHeaderFuzzTests(ITestOutputHelper output) : IDisposable
{
    readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    static readonly string[] Headers =
    [
        """{"__metadata__":{"format":"pt","ss_network_dim":"8"},"a":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},"b":{"dtype":"F16","shape":[3],"data_offsets":[16,22]}}""",
        """{"lora_unet_x.alpha":{"dtype":"F32","shape":[],"data_offsets":[0,4]},"lora_unet_x.lora_down.weight":{"dtype":"BF16","shape":[1,9],"data_offsets":[4,22]}}""",
        """{"__metadata__":null,"e":{"dtype":"U8","shape":[0],"data_offsets":[0,0]},"f":{"dtype":"I64","shape":[2,1,1],"data_offsets":[0,16]},"g":{"dtype":"BOOL","shape":[6],"data_offsets":[16,22]}}""",
        """{"a":{"dtype":"F32","shape":[9223372036854775807,2],"data_offsets":[0,22]}}""",
        """{}""",
    ];

    const int DataBytes = 22;

    /// <summary>A file: the 8-byte little-endian header length, the header padded with spaces to 8 bytes, the data.</summary>
    static byte[] FileOf(string header)
    {
        var json = Encoding.UTF8.GetBytes(header.PadRight((header.Length + 7) / 8 * 8));
        var bytes = new byte[8 + json.Length + DataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)json.Length);
        json.CopyTo(bytes, 8);
        for (var i = 0; i < DataBytes; i++) bytes[8 + json.Length + i] = (byte)(i * 37);
        return bytes;
    }

    static readonly string[] Tokens =
    [
        "{", "}", "[", "]", "\"", ",", ":", "null", "\"__metadata__\"", "\"dtype\"", "\"shape\"", "\"data_offsets\"", "\"F64\"", "\"F8_E4M3\"",
        "\"I8\"", "\"BOOL\"", "-1", "1e3", "1.5", "18446744073709551616", "[0,22]", "[22,0]", "\"\\u0000\"", "\"\\ud800\"", "[[[[[[[[[[", "\u0080PK\u0003\u0004",
    ];

    [Fact]
    public void Mutated_files_never_crash_the_header_reader()
    {
        var path = _folder.File("fuzz.safetensors");

        var summary = Fuzzer.Run("safetensors file", [.. Headers.Select(FileOf)], Tokens, cases: 1500, seed: 21, input =>
        {
            System.IO.File.WriteAllBytes(path, input);
            SafetensorsFile.ReadHeader(path);
        }, typeof(SafetensorsFormatException), typeof(PickleCheckpointException));

        output.WriteLine(summary.ToString());
    }

    [Fact]
    public void Mutated_header_json_never_crashes_the_parser()
    {
        var summary = Fuzzer.Run("safetensors header JSON", Fuzzer.Utf8(Headers), Tokens, cases: 20000, seed: 22,
            input => SafetensorsHeader.Parse("fuzz.safetensors", input, DataBytes), typeof(SafetensorsFormatException));

        output.WriteLine(summary.ToString());
    }
}
