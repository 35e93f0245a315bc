using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace SweepRunner.Training.Data;

/// <summary>
/// Seeded <see cref="Random"/> instances derived from the job's seed and a position (epoch, batch, purpose), so the
/// data order and augmentations of any step can be recreated without carrying generator state: a resumed run
/// draws exactly what an uninterrupted one would.
/// </summary>
public static class DerivedRandom
{
    /// <summary>A generator for (<paramref name="seed"/>, <paramref name="purpose"/>, <paramref name="indices"/>).</summary>
    public static Random For(long seed, string purpose, params long[] indices)
    {
        var text = new StringBuilder().Append(seed).Append('/').Append(purpose);
        foreach (var index in indices) text.Append('/').Append(index);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()), hash);
        return new Random(BinaryPrimitives.ReadInt32LittleEndian(hash) & int.MaxValue);
    }

    /// <summary>A 64-bit seed (for a torch generator) for (<paramref name="seed"/>, <paramref name="purpose"/>, <paramref name="key"/>, <paramref name="index"/>).</summary>
    public static ulong Seed64(long seed, string purpose, string key, long index)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{seed}/{purpose}/{key}/{index}")), hash);
        return BinaryPrimitives.ReadUInt64LittleEndian(hash);
    }

    /// <summary>Fisher–Yates shuffle, as Python's random.shuffle does it (from the end).</summary>
    public static void Shuffle<T>(IList<T> items, Random random)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
