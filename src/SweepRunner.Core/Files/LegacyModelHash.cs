using System.Security.Cryptography;

namespace SweepRunner.Core.Files;

/// <summary>
/// AUTOMATIC1111's old model hash, which sd-scripts writes as <c>ss_sd_model_hash</c> (of the base checkpoint) and as
/// <c>sshs_legacy_hash</c> (of the LoRA file as it would be written with only its ss_* metadata): the first 8 hex digits
/// of the SHA-256 of the 64 KiB at offset 1 MiB, of fewer bytes or none when the file is shorter. Append the file's bytes
/// in order; only the window is hashed.
/// </summary>
public sealed class LegacyModelHash : IDisposable
{
    const long Offset = 0x100000;
    const long Length = 0x10000;

    private readonly IncrementalHash _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _position;

    /// <summary>Adds the next bytes of the file.</summary>
    public void Append(ReadOnlySpan<byte> bytes)
    {
        var start = Math.Max(_position, Offset);
        var end = Math.Min(_position + bytes.Length, Offset + Length);
        if (end > start) _sha.AppendData(bytes.Slice((int)(start - _position), (int)(end - start)));
        _position += bytes.Length;
    }

    /// <summary>The hash of the bytes appended (8 lower-case hex digits).</summary>
    public string Finish() => Convert.ToHexStringLower(_sha.GetHashAndReset())[..8];

    /// <summary>The legacy hash of the file at <paramref name="path"/>.</summary>
    public static string OfFile(string path)
    {
        using var stream = File.OpenRead(path);
        var window = new byte[Length];
        var read = 0;
        if (stream.Length > Offset)
        {
            stream.Seek(Offset, SeekOrigin.Begin);
            read = stream.ReadAtLeast(window, window.Length, throwOnEndOfStream: false);
        }
        return Convert.ToHexStringLower(SHA256.HashData(window.AsSpan(0, read)))[..8];
    }

    public void Dispose() => _sha.Dispose();
}
