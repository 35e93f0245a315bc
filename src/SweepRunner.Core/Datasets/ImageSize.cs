using System.Buffers.Binary;

namespace SweepRunner.Core.Datasets;

/// <summary>Reads an image's pixel size from its header (PNG, JPEG, WebP) without decoding it.</summary>
public static class ImageSize
{
    public static readonly IReadOnlyList<string> Extensions = [".png", ".jpg", ".jpeg", ".webp"];

    public static (int Width, int Height) Read(string path)
    {
        using var stream = File.OpenRead(path);
        var head = new byte[64 * 1024];
        var count = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var span = head.AsSpan(0, count);
        if (span.Length >= 24 && span[..8].SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }))
            return Checked(path, BinaryPrimitives.ReadInt32BigEndian(span[16..]), BinaryPrimitives.ReadInt32BigEndian(span[20..]));
        if (span.Length >= 4 && span[0] == 0xFF && span[1] == 0xD8)
            return ReadJpeg(path, stream);
        if (span.Length >= 30 && span[..4].SequenceEqual("RIFF"u8) && span[8..12].SequenceEqual("WEBP"u8))
            return ReadWebp(path, span);
        throw new InvalidDataException($"{path}: not a PNG, JPEG or WebP image (unrecognized header)");
    }

    static (int, int) ReadJpeg(string path, Stream stream)
    {
        stream.Position = 2;
        Span<byte> marker = stackalloc byte[4];
        Span<byte> frame = stackalloc byte[5];
        while (stream.ReadAtLeast(marker, 4, throwOnEndOfStream: false) == 4)
        {
            if (marker[0] != 0xFF) break;
            var type = marker[1];
            var length = BinaryPrimitives.ReadUInt16BigEndian(marker[2..]);
            // Start-of-frame markers C0..CF, except DHT (C4), JPG (C8) and DAC (CC).
            if (type is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                if (stream.ReadAtLeast(frame, 5, throwOnEndOfStream: false) != 5) break;
                return Checked(path, BinaryPrimitives.ReadUInt16BigEndian(frame[3..]), BinaryPrimitives.ReadUInt16BigEndian(frame[1..]));
            }
            if (length < 2) break;
            stream.Position += length - 2;
        }
        throw new InvalidDataException($"{path}: JPEG without a readable frame header (truncated or corrupt)");
    }

    static (int, int) ReadWebp(string path, ReadOnlySpan<byte> span)
    {
        var chunk = span[12..16];
        if (chunk.SequenceEqual("VP8X"u8))
            return Checked(path, 1 + (span[24] | span[25] << 8 | span[26] << 16), 1 + (span[27] | span[28] << 8 | span[29] << 16));
        if (chunk.SequenceEqual("VP8L"u8))
        {
            var bits = BinaryPrimitives.ReadUInt32LittleEndian(span[21..]);
            return Checked(path, (int)(bits & 0x3FFF) + 1, (int)((bits >> 14) & 0x3FFF) + 1);
        }
        if (chunk.SequenceEqual("VP8 "u8))
            return Checked(path, BinaryPrimitives.ReadUInt16LittleEndian(span[26..]) & 0x3FFF, BinaryPrimitives.ReadUInt16LittleEndian(span[28..]) & 0x3FFF);
        throw new InvalidDataException($"{path}: unknown WebP chunk");
    }

    static (int, int) Checked(string path, int width, int height) =>
        width > 0 && height > 0 && width <= 65535 && height <= 65535
            ? (width, height)
            : throw new InvalidDataException($"{path}: implausible image size {width}x{height} (corrupt header?)");
}
