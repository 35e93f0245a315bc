using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace SweepRunner.Core.Files;

/// <summary>
/// The data hash of a safetensors file: the SHA-256, in lower-case hex, of every byte after the header (the
/// 8-byte little-endian header length and the JSON header it counts). It is kohya's <c>sshs_model_hash</c> and
/// the "new" hash of sd-webui-additional-networks: files with the same tensors have the same data hash whatever
/// their metadata, so two LoRA files trained alike that differ only in their time stamps share it, while the
/// SHA-256 of the whole file tells them apart. This is the one definition; the safetensors writer and reader use it.
/// </summary>
public static class SafetensorsDataHash
{
    /// <summary>The size of the header length that starts every safetensors file.</summary>
    public const int LengthPrefixBytes = 8;

    /// <summary>The data hash of the safetensors file at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The file is too short for its declared header: not a safetensors file.</exception>
    public static string OfFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        return Of(handle, path);
    }

    /// <summary>The data hash of an open safetensors file (read from its start, whatever else reads it).</summary>
    /// <param name="handle">The file, open for reading.</param>
    /// <param name="name">The file's name for error messages.</param>
    /// <exception cref="InvalidDataException">The file is too short for its declared header: not a safetensors file.</exception>
    public static string Of(SafeFileHandle handle, string name)
    {
        ArgumentNullException.ThrowIfNull(handle);
        var length = RandomAccess.GetLength(handle);
        Span<byte> prefix = stackalloc byte[LengthPrefixBytes];
        var prefixRead = 0;
        while (prefixRead < prefix.Length)
        {
            var read = RandomAccess.Read(handle, prefix[prefixRead..], prefixRead);
            if (read == 0)
            {
                break;
            }

            prefixRead += read;
        }

        if (prefixRead < LengthPrefixBytes)
        {
            throw new InvalidDataException(
                $"'{name}' has {length} bytes, fewer than the {LengthPrefixBytes}-byte header length that starts every safetensors file; it is not a safetensors file.");
        }

        var declared = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (declared > (ulong)(length - LengthPrefixBytes))
        {
            throw new InvalidDataException(
                $"'{name}' declares a safetensors header of {declared} bytes but only {length - LengthPrefixBytes} bytes follow; the file is truncated or not a safetensors file.");
        }

        using var hasher = new SafetensorsDataHasher();
        var buffer = new byte[1 << 20];
        var position = LengthPrefixBytes + (long)declared;
        while (position < length)
        {
            var read = RandomAccess.Read(handle, buffer, position);
            if (read == 0)
            {
                break;
            }

            hasher.Append(buffer.AsSpan(0, read));
            position += read;
        }

        return hasher.Finish();
    }
}
