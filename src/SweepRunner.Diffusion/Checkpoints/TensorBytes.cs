using Microsoft.Win32.SafeHandles;
using TorchSharp;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Checkpoints;

/// <summary>
/// Moves the raw bytes of contiguous CPU tensors to and from files without an intermediate copy of the
/// whole tensor: the tensor's own memory is read into or written from, in chunks below 2 GiB.
/// </summary>
internal static class TensorBytes
{
    const long ChunkBytes = 1L << 30;

    /// <summary>Fills <paramref name="target"/> (contiguous, CPU) with bytes of the file at <paramref name="fileOffset"/>.</summary>
    public static void ReadFrom(SafeFileHandle file, long fileOffset, Tensor target, string path, string name)
    {
        ForEachChunk(target, (span, chunkOffset) =>
        {
            var filled = 0;
            while (filled < span.Length)
            {
                var read = RandomAccess.Read(file, span[filled..], fileOffset + chunkOffset + filled);
                if (read == 0)
                    throw new SafetensorsFormatException(path, name, "the file ended before this tensor's data; it was truncated while open.");
                filled += read;
            }
        });
    }

    /// <summary>Hands the bytes of <paramref name="source"/> (contiguous, CPU) to <paramref name="consume"/> in order.</summary>
    public static void WriteTo(Tensor source, Action<ReadOnlySpan<byte>> consume) =>
        ForEachChunk(source, (span, _) => consume(span));

    delegate void ChunkAction(Span<byte> chunk, long offsetInTensor);

    static void ForEachChunk(Tensor tensor, ChunkAction action)
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("Safetensors data is little-endian; this machine is not.");
        if (tensor.device_type != DeviceType.CPU || !tensor.is_contiguous())
            throw new InvalidOperationException("Raw tensor bytes need a contiguous CPU tensor.");
        var elementSize = tensor.ElementSize;
        var total = tensor.NumberOfElements * elementSize;
        if (total == 0) return;
        if (total <= ChunkBytes)
        {
            action(tensor.bytes, 0);
            return;
        }
        using var scope = NewDisposeScope();
        var flat = tensor.view(-1);
        var elementsPerChunk = ChunkBytes / elementSize;
        for (long start = 0; start < tensor.NumberOfElements; start += elementsPerChunk)
        {
            var count = Math.Min(elementsPerChunk, tensor.NumberOfElements - start);
            using var chunk = flat.narrow(0, start, count);
            action(chunk.bytes, start * elementSize);
        }
    }
}
