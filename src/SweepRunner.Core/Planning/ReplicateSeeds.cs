using System.Buffers.Binary;
using System.Security.Cryptography;

namespace SweepRunner.Core.Planning;

/// <summary>
/// The seeds of a job's replicates: the first replicate keeps the job's seed; the k-th takes a number derived from
/// the seed and k by SHA-256, below 2^31 as sd-scripts' seeds are, so the same sweep always plans the same seeds.
/// </summary>
public static class ReplicateSeeds
{
    public static long Of(long seed, int replicate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(replicate, 1);
        if (replicate == 1) return seed;
        Span<byte> input = stackalloc byte[12];
        BinaryPrimitives.WriteInt64LittleEndian(input, seed);
        BinaryPrimitives.WriteInt32LittleEndian(input[8..], replicate);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input, hash);
        return BinaryPrimitives.ReadUInt32LittleEndian(hash) & int.MaxValue;
    }
}
