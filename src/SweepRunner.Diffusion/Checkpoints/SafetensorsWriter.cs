using System.Buffers.Binary;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using SweepRunner.Core.Files;
using TorchSharp;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Checkpoints;

/// <summary>What <see cref="SafetensorsWriter.Write"/> produced.</summary>
/// <param name="Path">The written file.</param>
/// <param name="Length">Its size in bytes.</param>
/// <param name="ModelHash">sha256 (lower-case hex) of the data after the header: kohya's <c>sshs_model_hash</c> (<see cref="SafetensorsDataHash"/>).</param>
public sealed record SafetensorsWriteResult(string Path, long Length, string ModelHash);

/// <summary>
/// Writes safetensors files the way the reference implementation lays them out: tensors ordered by dtype
/// alignment (largest first) and then by name (so by name alone when all share a dtype), compact JSON
/// header with <c>__metadata__</c> first, padded with spaces to a multiple of 8 bytes.
/// </summary>
public static class SafetensorsWriter
{
    /// <summary>
    /// Writes <paramref name="tensors"/> and <paramref name="metadata"/> to <paramref name="path"/> atomically
    /// (temporary file in the same folder, flushed, renamed). Tensors on other devices or not contiguous are
    /// copied to contiguous CPU memory one at a time while writing.
    /// </summary>
    public static SafetensorsWriteResult Write(string path, IEnumerable<(string Name, Tensor Tensor)> tensors,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        var layout = Plan(tensors);
        var header = BuildHeader(layout, metadata);
        return AtomicFile.Write(path, stream =>
        {
            Span<byte> prefix = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
            stream.Write(prefix);
            stream.Write(header);
            using var hasher = new SafetensorsDataHasher();
            foreach (var item in layout)
                VisitBytes(item.Tensor, span =>
                {
                    stream.Write(span);
                    hasher.Append(span);
                });
            return new SafetensorsWriteResult(System.IO.Path.GetFullPath(path), stream.Length, hasher.Finish());
        });
    }

    /// <summary>
    /// The <c>sshs_model_hash</c> the file written from <paramref name="tensors"/> will have, computed without
    /// writing it (the hash covers only the data, so metadata may then include it).
    /// </summary>
    public static string ComputeModelHash(IEnumerable<(string Name, Tensor Tensor)> tensors)
    {
        using var hasher = new SafetensorsDataHasher();
        foreach (var item in Plan(tensors))
            VisitBytes(item.Tensor, hasher.Append);
        return hasher.Finish();
    }

    /// <summary>
    /// The <c>sshs_legacy_hash</c> of the file written from <paramref name="tensors"/> with <paramref name="metadata"/>
    /// (<see cref="LegacyModelHash"/>), computed without writing it.
    /// </summary>
    public static string ComputeLegacyHash(IEnumerable<(string Name, Tensor Tensor)> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        var layout = Plan(tensors);
        var header = BuildHeader(layout, metadata);
        using var hash = new LegacyModelHash();
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
        hash.Append(prefix);
        hash.Append(header);
        foreach (var item in layout)
            VisitBytes(item.Tensor, hash.Append);
        return hash.Finish();
    }

    sealed record Planned(string Name, Tensor Tensor, SafetensorsDtype Dtype, long[] Shape, long Begin, long End);

    static List<Planned> Plan(IEnumerable<(string Name, Tensor Tensor)> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var items = new List<(string Name, Tensor Tensor, SafetensorsDtype Dtype, byte[] NameBytes)>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, tensor) in tensors)
        {
            if (string.IsNullOrEmpty(name))
                throw new ArgumentException("A tensor name is empty; safetensors keys must be non-empty.", nameof(tensors));
            if (name == SafetensorsHeader.MetadataKey)
                throw new ArgumentException($"'{SafetensorsHeader.MetadataKey}' is reserved for metadata and cannot name a tensor.", nameof(tensors));
            if (!names.Add(name))
                throw new ArgumentException($"Tensor name '{name}' is given twice.", nameof(tensors));
            ArgumentNullException.ThrowIfNull(tensor, name);
            items.Add((name, tensor, SafetensorsDtypes.FromScalarType(tensor.dtype), Encoding.UTF8.GetBytes(name)));
        }

        items.Sort((a, b) =>
        {
            var byDtype = b.Dtype.CompareTo(a.Dtype);
            return byDtype != 0 ? byDtype : a.NameBytes.AsSpan().SequenceCompareTo(b.NameBytes);
        });

        var planned = new List<Planned>(items.Count);
        long offset = 0;
        foreach (var item in items)
        {
            var length = item.Tensor.NumberOfElements * item.Dtype.ElementSize();
            planned.Add(new Planned(item.Name, item.Tensor, item.Dtype, item.Tensor.shape, offset, offset + length));
            offset += length;
        }
        return planned;
    }

    static byte[] BuildHeader(List<Planned> layout, IReadOnlyDictionary<string, string>? metadata)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(SafetensorsHeader.MetadataKey);
                foreach (var (key, value) in metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    ArgumentNullException.ThrowIfNull(value, $"metadata '{key}'");
                    json.WriteString(key, value);
                }
                json.WriteEndObject();
            }
            foreach (var item in layout)
            {
                json.WriteStartObject(item.Name);
                json.WriteString("dtype", item.Dtype.ToString());
                json.WriteStartArray("shape");
                foreach (var dim in item.Shape) json.WriteNumberValue(dim);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(item.Begin);
                json.WriteNumberValue(item.End);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        var padded = (buffer.Length + 7) / 8 * 8;
        while (buffer.Length < padded) buffer.WriteByte((byte)' ');
        return buffer.ToArray();
    }

    static void VisitBytes(Tensor tensor, Action<ReadOnlySpan<byte>> consume)
    {
        if (tensor.device_type == DeviceType.CPU && tensor.is_contiguous())
        {
            TensorBytes.WriteTo(tensor, consume);
            return;
        }
        using var scope = NewDisposeScope();
        var copy = tensor.detach().cpu().contiguous();
        TensorBytes.WriteTo(copy, consume);
    }
}
