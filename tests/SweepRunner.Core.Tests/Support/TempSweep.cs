using System.Buffers.Binary;

namespace SweepRunner.Core.Tests.Support;

/// <summary>A temporary folder with a kohya-layout dataset and sweep files written by the test.</summary>
public sealed class TempSweep : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("sweeprunner-core-").FullName;

    public string Dataset => System.IO.Path.Combine(Root, "data");

    public TempSweep AddFolder(string name, int images, int width = 512, int height = 512)
    {
        var folder = System.IO.Path.Combine(Dataset, name);
        Directory.CreateDirectory(folder);
        var start = Directory.GetFiles(folder, "*.png").Length;
        for (var i = 0; i < images; i++)
        {
            var file = System.IO.Path.Combine(folder, $"{name}-{start + i:D3}.png");
            File.WriteAllBytes(file, PngHeader(width, height, start + i));
            File.WriteAllText(System.IO.Path.ChangeExtension(file, ".txt"), $"caption {start + i}");
        }
        return this;
    }

    public string Path(string fileName) => System.IO.Path.Combine(Root, fileName);

    public string Write(string fileName, string yaml)
    {
        var path = System.IO.Path.Combine(Root, fileName);
        File.WriteAllText(path, yaml);
        return path;
    }

    /// <summary>The signature and IHDR chunk of a PNG: all a size reader needs. The salt makes contents differ.</summary>
    public static byte[] PngHeader(int width, int height, int salt = 0)
    {
        var bytes = new byte[33 + 4];
        new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }.CopyTo(bytes, 0);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), 13);
        "IHDR"u8.CopyTo(bytes.AsSpan(12));
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(16), width);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(20), height);
        bytes[24] = 8;
        bytes[25] = 2;
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(33), salt);
        return bytes;
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
