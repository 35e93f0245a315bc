using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;
using SweepRunner.Core.Files;
using TorchSharp;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Checkpoints;

/// <summary>
/// An open safetensors file: the validated header is read once, and tensors are then loaded one at a time
/// straight from the file into their own memory, so loading a model needs about one tensor of memory beyond
/// the model itself.
/// </summary>
public sealed class SafetensorsFile : IDisposable
{
    readonly SafeFileHandle _handle;
    readonly Dictionary<string, SafetensorsEntry> _byName;

    SafetensorsFile(string path, SafeFileHandle handle, long dataOffset, SafetensorsHeader header)
    {
        Path = path;
        _handle = handle;
        DataOffset = dataOffset;
        Entries = header.Entries;
        Metadata = header.Metadata;
        _byName = header.Entries.ToDictionary(e => e.Name, StringComparer.Ordinal);
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Where the data area starts: 8 + the header length.</summary>
    public long DataOffset { get; }

    /// <summary>The tensors, in the order of their data.</summary>
    public IReadOnlyList<SafetensorsEntry> Entries { get; }

    /// <summary>The <c>__metadata__</c> strings (empty when the file has none).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Opens and validates <paramref name="path"/>.</summary>
    /// <exception cref="PickleCheckpointException">The file is a PyTorch pickle (.ckpt/.pt).</exception>
    /// <exception cref="SafetensorsFormatException">The header is malformed or does not match the file.</exception>
    public static SafetensorsFile Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        PickleCheckpoints.ThrowIfPickleName(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Checkpoint '{path}' does not exist.", path);

        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);
        try
        {
            var (dataOffset, header) = ReadHeader(path, handle);
            return new SafetensorsFile(path, handle, dataOffset, header);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Reads and validates only the header of <paramref name="path"/>.</summary>
    public static SafetensorsHeader ReadHeader(string path)
    {
        PickleCheckpoints.ThrowIfPickleName(path);
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return ReadHeader(path, handle).Header;
    }

    static (long DataOffset, SafetensorsHeader Header) ReadHeader(string path, SafeFileHandle handle)
    {
        var fileLength = RandomAccess.GetLength(handle);
        Span<byte> prefix = stackalloc byte[8];
        var prefixLength = ReadFully(handle, prefix, 0);
        ulong declared = prefixLength == 8 ? BinaryPrimitives.ReadUInt64LittleEndian(prefix) : 0;
        try
        {
            SafetensorsHeader.ValidateHeaderLength(path, declared, fileLength);
        }
        catch (SafetensorsFormatException) when (PickleCheckpoints.HasPickleSignature(prefix[..prefixLength]))
        {
            throw new PickleCheckpointException(path, PickleCheckpoints.RefusalMessage(path));
        }

        var json = new byte[(int)declared];
        if (ReadFully(handle, json, 8) != json.Length)
            throw new SafetensorsFormatException(path, null, "the file ended inside the header.");
        var dataOffset = 8 + (long)declared;
        return (dataOffset, SafetensorsHeader.Parse(path, json, fileLength - dataOffset));
    }

    /// <summary>True when the file holds a tensor named <paramref name="name"/>.</summary>
    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>The header entry of <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">The file has no such tensor.</exception>
    public SafetensorsEntry GetEntry(string name) =>
        _byName.TryGetValue(name, out var entry)
            ? entry
            : throw new KeyNotFoundException($"'{Path}' has no tensor named '{name}'.");

    /// <summary>
    /// Loads one tensor: created on the CPU in the file's dtype, filled straight from the file, then converted
    /// to <paramref name="dtype"/> and moved to <paramref name="device"/> when given (each intermediate is
    /// disposed at once).
    /// </summary>
    public Tensor Load(string name, ScalarType? dtype = null, Device? device = null)
    {
        var entry = GetEntry(name);
        var fileType = entry.Dtype.ToScalarType()
            ?? throw new SafetensorsFormatException(Path, name, $"dtype {entry.Dtype} has no TorchSharp equivalent, so it cannot be loaded; convert the file to F32, F16 or BF16.");

        var tensor = empty(entry.ShapeArray(), fileType, CPU);
        try
        {
            TensorBytes.ReadFrom(_handle, DataOffset + entry.DataBegin, tensor, Path, name);
            if (dtype is { } wanted && wanted != fileType)
                tensor = Replace(tensor, tensor.to_type(wanted));
            if (device is not null && device.type != DeviceType.CPU)
                tensor = Replace(tensor, tensor.to(device));
            return tensor;
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
    }

    static Tensor Replace(Tensor old, Tensor replacement)
    {
        old.Dispose();
        return replacement;
    }

    /// <summary>
    /// The sha256 (lower-case hex) of everything after the header: the <c>sshs_model_hash</c> of kohya's
    /// LoRA metadata and the "new" hash of sd-webui-additional-networks (<see cref="SafetensorsDataHash"/>).
    /// </summary>
    public string ComputeModelHash() => SafetensorsDataHash.Of(_handle, Path);

    /// <summary>Opens <paramref name="path"/> and computes <see cref="ComputeModelHash()"/>.</summary>
    public static string ComputeModelHash(string path)
    {
        using var file = Open(path);
        return file.ComputeModelHash();
    }

    static int ReadFully(SafeFileHandle handle, Span<byte> buffer, long offset)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = RandomAccess.Read(handle, buffer[filled..], offset + filled);
            if (read == 0) break;
            filled += read;
        }
        return filled;
    }

    public void Dispose() => _handle.Dispose();
}
