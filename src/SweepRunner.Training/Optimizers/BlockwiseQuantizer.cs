using static TorchSharp.torch;

namespace SweepRunner.Training.Optimizers;

/// <summary>
/// Block-wise 8-bit quantization as bitsandbytes' optimizers use it: the flattened tensor is cut into blocks of
/// <see cref="BlockSize"/> values; each block is divided by its absolute maximum (1 for an all-zero block) and
/// every value is stored as the index of the nearest entry of a 256-value map (ties to the lower index).
/// With <c>keepSign</c> (first moments, signed map) a negative value that would round to 0 takes the code just
/// below it instead, as bitsandbytes' optimizer kernels keep the sign of state1 through quantization.
/// Dequantization is map[code] · absmax[block].
/// </summary>
static class BlockwiseQuantizer
{
    /// <summary>The block size of current bitsandbytes releases (older ones used 2048).</summary>
    public const int BlockSize = 256;

    public static long BlockCount(long elements) => (elements + BlockSize - 1) / BlockSize;

    /// <summary>Codes with the shape of <paramref name="values"/> (uint8) and one absmax per block (fp32).</summary>
    public static (Tensor Codes, Tensor Absmax) Quantize(Tensor values, Tensor map, bool keepSign = false)
    {
        var n = values.numel();
        var blocks = Blocks(values.flatten(), n);
        var absmax = blocks.abs().amax([1]);
        absmax = where(absmax == 0, ones_like(absmax), absmax);
        var scaled = (blocks / absmax.unsqueeze(1)).flatten().slice(0, 0, n, 1);
        // The nearest entry of a sorted map is the number of midpoints between entries that lie below the value.
        var midpoints = (map.slice(0, 0, map.numel() - 1, 1) + map.slice(0, 1, map.numel(), 1)) / 2;
        var nearest = bucketize(scaled, midpoints);
        if (keepSign)
        {
            var lostSign = scaled.lt(0).logical_and_(map.index_select(0, nearest).ge(0));
            nearest = nearest - lostSign.to(ScalarType.Int64);
        }

        return (nearest.to(ScalarType.Byte).view(values.shape), absmax);
    }

    /// <summary>fp32 values with the shape of <paramref name="codes"/>.</summary>
    public static Tensor Dequantize(Tensor codes, Tensor absmax, Tensor map)
    {
        var n = codes.numel();
        var values = Blocks(map.index_select(0, codes.flatten().to(ScalarType.Int64)), n) * absmax.unsqueeze(1);
        return values.flatten().slice(0, 0, n, 1).view(codes.shape);
    }

    static Tensor Blocks(Tensor flat, long n)
    {
        var blockCount = BlockCount(n);
        var padding = blockCount * BlockSize - n;
        var padded = padding > 0 ? nn.functional.pad(flat, [0, padding]) : flat;
        return padded.view(blockCount, BlockSize);
    }
}
