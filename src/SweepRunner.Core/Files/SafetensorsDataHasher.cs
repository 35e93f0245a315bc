using System.Security.Cryptography;

namespace SweepRunner.Core.Files;

/// <summary>
/// Builds a <see cref="SafetensorsDataHash"/> from the data bytes as they are produced, for a writer that hashes
/// the data while writing it (or without writing it at all): append every byte after the header, in file order.
/// </summary>
public sealed class SafetensorsDataHasher : IDisposable
{
    private readonly IncrementalHash _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    /// <summary>Adds the next data bytes.</summary>
    public void Append(ReadOnlySpan<byte> data) => _sha.AppendData(data);

    /// <summary>The data hash of the bytes appended so far (lower-case hex); the hasher starts over afterwards.</summary>
    public string Finish() => Convert.ToHexStringLower(_sha.GetHashAndReset());

    public void Dispose() => _sha.Dispose();
}
