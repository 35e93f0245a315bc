using System.Text.Json;
using System.Text.Unicode;

namespace SweepRunner.Diffusion.Checkpoints;

/// <summary>
/// The parsed and validated header of a safetensors file: tensor entries ordered by their place in the
/// data area, and the <c>__metadata__</c> strings.
/// </summary>
public sealed class SafetensorsHeader
{
    /// <summary>The largest header the reader accepts (the reference implementation's limit).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    /// <summary>The key of the string-to-string metadata object.</summary>
    public const string MetadataKey = "__metadata__";

    SafetensorsHeader(IReadOnlyList<SafetensorsEntry> entries, IReadOnlyDictionary<string, string> metadata)
    {
        Entries = entries;
        Metadata = metadata;
    }

    /// <summary>The tensors, in the order of their data.</summary>
    public IReadOnlyList<SafetensorsEntry> Entries { get; }

    /// <summary>The <c>__metadata__</c> entries (empty when the file has none).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>
    /// Checks the declared header length against the file: it must leave room for the header inside the
    /// file and stay below <see cref="MaxHeaderBytes"/>.
    /// </summary>
    public static void ValidateHeaderLength(string path, ulong declared, long fileLength)
    {
        if (fileLength < 8)
            throw new SafetensorsFormatException(path, null, $"the file has {fileLength} bytes, fewer than the 8-byte header length that starts every safetensors file.");
        if (declared < 2)
            throw new SafetensorsFormatException(path, null, $"the header length is {declared} bytes; even an empty header ('{{}}') needs 2.");
        if (declared > MaxHeaderBytes)
            throw new SafetensorsFormatException(path, null, $"the header length is {declared} bytes, more than the {MaxHeaderBytes} bytes the format allows; the file is damaged or not a safetensors file.");
        if ((long)declared > fileLength - 8)
            throw new SafetensorsFormatException(path, null, $"the header length is {declared} bytes but only {fileLength - 8} bytes follow it; the file is truncated or not a safetensors file.");
    }

    /// <summary>
    /// Parses the JSON header and checks every entry against a data area of <paramref name="dataLength"/> bytes.
    /// </summary>
    /// <exception cref="SafetensorsFormatException">Naming the file, the tensor and the fault.</exception>
    public static SafetensorsHeader Parse(string path, ReadOnlySpan<byte> json, long dataLength)
    {
        if (!Utf8.IsValid(json))
            throw new SafetensorsFormatException(path, null, "the header is not valid UTF-8 text.");

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw new SafetensorsFormatException(path, null, $"the header is not valid JSON ({e.Message}).");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new SafetensorsFormatException(path, null, $"the header must be a JSON object, found {root.ValueKind}.");

            var seen = new HashSet<string>(StringComparer.Ordinal);
            var entries = new List<SafetensorsEntry>();
            IReadOnlyDictionary<string, string> metadata = new Dictionary<string, string>();
            foreach (var property in root.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                    throw new SafetensorsFormatException(path, property.Name, "the header names this key twice.");
                if (property.Name == MetadataKey)
                    metadata = ParseMetadata(path, property.Value);
                else
                    entries.Add(ParseEntry(path, property.Name, property.Value, dataLength));
            }
            CheckLayout(path, entries, dataLength);
            return new SafetensorsHeader(entries, metadata);
        }
    }

    static Dictionary<string, string> ParseMetadata(string path, JsonElement value)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (value.ValueKind == JsonValueKind.Null) return metadata;
        if (value.ValueKind != JsonValueKind.Object)
            throw new SafetensorsFormatException(path, null, $"'{MetadataKey}' must be an object of strings, found {value.ValueKind}.");
        foreach (var item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
                throw new SafetensorsFormatException(path, null, $"'{MetadataKey}' entry '{item.Name}' must be a string, found {item.Value.ValueKind}.");
            if (!metadata.TryAdd(item.Name, item.Value.GetString()!))
                throw new SafetensorsFormatException(path, null, $"'{MetadataKey}' names '{item.Name}' twice.");
        }
        return metadata;
    }

    static SafetensorsEntry ParseEntry(string path, string name, JsonElement value, long dataLength)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw new SafetensorsFormatException(path, name, $"expected an object with dtype, shape and data_offsets, found {value.ValueKind}.");

        if (!value.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
            throw new SafetensorsFormatException(path, name, "'dtype' is missing or not a string.");
        var dtypeText = dtypeElement.GetString()!;
        if (!SafetensorsDtypes.TryParse(dtypeText, out var dtype))
            throw new SafetensorsFormatException(path, name, $"unknown dtype '{dtypeText}'; known: {string.Join(", ", Enum.GetNames<SafetensorsDtype>())}.");

        if (!value.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
            throw new SafetensorsFormatException(path, name, "'shape' is missing or not an array.");
        var shape = new List<long>();
        long elements = 1;
        foreach (var dimElement in shapeElement.EnumerateArray())
        {
            if (dimElement.ValueKind != JsonValueKind.Number || !dimElement.TryGetInt64(out var dim))
                throw new SafetensorsFormatException(path, name, $"shape entry {dimElement.GetRawText()} is not a whole number.");
            if (dim < 0)
                throw new SafetensorsFormatException(path, name, $"shape entry {dim} is negative.");
            if (shape.Count >= 64)
                throw new SafetensorsFormatException(path, name, "the shape has more than 64 dimensions.");
            try
            {
                elements = checked(elements * dim);
            }
            catch (OverflowException)
            {
                throw new SafetensorsFormatException(path, name, $"the element count of shape [{string.Join(", ", shape.Append(dim))}...] overflows 64 bits.");
            }
            shape.Add(dim);
        }

        if (!value.TryGetProperty("data_offsets", out var offsetsElement) || offsetsElement.ValueKind != JsonValueKind.Array
            || offsetsElement.GetArrayLength() != 2)
            throw new SafetensorsFormatException(path, name, "'data_offsets' is missing or not an array [begin, end].");
        var begin = ReadOffset(path, name, offsetsElement[0]);
        var end = ReadOffset(path, name, offsetsElement[1]);
        if (begin > end)
            throw new SafetensorsFormatException(path, name, $"data_offsets [{begin}, {end}] begin after they end.");
        if (end > dataLength)
            throw new SafetensorsFormatException(path, name, $"data_offsets [{begin}, {end}] reach past the end of the data area ({dataLength} bytes).");

        long expectedBytes;
        try
        {
            expectedBytes = checked(elements * dtype.ElementSize());
        }
        catch (OverflowException)
        {
            throw new SafetensorsFormatException(path, name, $"the byte size of shape [{string.Join(", ", shape)}] as {dtype} overflows 64 bits.");
        }
        if (end - begin != expectedBytes)
            throw new SafetensorsFormatException(path, name,
                $"data_offsets [{begin}, {end}] hold {end - begin} bytes but shape [{string.Join(", ", shape)}] of {dtype} needs {expectedBytes}.");

        return new SafetensorsEntry(name, dtype, shape, begin, end);
    }

    static long ReadOffset(string path, string name, JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out var offset) || offset < 0)
            throw new SafetensorsFormatException(path, name, $"data offset {element.GetRawText()} is not a non-negative whole number.");
        return offset;
    }

    static void CheckLayout(string path, List<SafetensorsEntry> entries, long dataLength)
    {
        entries.Sort((a, b) =>
        {
            var byBegin = a.DataBegin.CompareTo(b.DataBegin);
            return byBegin != 0 ? byBegin : a.DataEnd.CompareTo(b.DataEnd);
        });
        long covered = 0;
        SafetensorsEntry? previous = null;
        foreach (var entry in entries)
        {
            if (entry.DataBegin < covered)
                throw new SafetensorsFormatException(path, entry.Name,
                    $"its data (bytes {entry.DataBegin}-{entry.DataEnd}) overlaps tensor '{previous!.Name}' (bytes {previous.DataBegin}-{previous.DataEnd}).");
            if (entry.DataBegin > covered)
                throw new SafetensorsFormatException(path, entry.Name,
                    $"bytes {covered}-{entry.DataBegin} of the data area before it belong to no tensor; the format requires the tensors to cover the data area without gaps.");
            covered = entry.DataEnd;
            previous = entry;
        }
        if (covered != dataLength)
            throw new SafetensorsFormatException(path, null,
                $"the tensors cover {covered} bytes of data but the file holds {dataLength} bytes after the header; the file is damaged or has trailing data.");
    }
}
