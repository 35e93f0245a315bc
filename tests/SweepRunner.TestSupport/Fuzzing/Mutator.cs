namespace SweepRunner.TestSupport.Fuzzing;

/// <summary>
/// Deterministic mutations of seed inputs, as a coverage-blind fuzzer makes them: bit flips, interesting bytes,
/// insertions (random bytes or tokens of the format), deletions, truncation, splicing with another seed, repeated
/// chunks, whole lines deleted, doubled or swapped, and numbers replaced by edge values; one to four per case. The same seed number gives the same cases on every machine.
/// </summary>
public sealed class Mutator
{
    /// <summary>The largest input a mutation makes; parsers with size caps are fuzzed below them.</summary>
    public const int MaxLength = 64 * 1024;

    static readonly byte[] InterestingBytes =
        [0x00, 0x01, 0x7F, 0x80, 0xFF, 0xC3, 0xE2, (byte)'\n', (byte)'\r', (byte)'\t', (byte)' ', (byte)'"', (byte)'\'', (byte)':', (byte)',',
         (byte)'-', (byte)'{', (byte)'}', (byte)'[', (byte)']', (byte)'#', (byte)'&', (byte)'*', (byte)'\\', (byte)'0', (byte)'9', (byte)'.'];

    static readonly string[] InterestingNumbers =
        ["0", "-1", "1", "64", "2048", "2049", "999999999", "2147483648", "9223372036854775807", "9223372036854775808",
         "99999999999999999999999999", "1e309", "-0", "0.5", "NaN", "Infinity", "1e-400", "4294967296"];

    readonly Random _random;
    readonly IReadOnlyList<byte[]> _seeds;
    readonly IReadOnlyList<byte[]> _tokens;

    /// <param name="seed">The random seed: fixed, so the cases are the same in every run.</param>
    /// <param name="seeds">The corpus the cases start from (at least one input).</param>
    /// <param name="tokens">Pieces of the format worth inserting (keywords, punctuation); may be empty.</param>
    public Mutator(int seed, IReadOnlyList<byte[]> seeds, IEnumerable<string>? tokens = null)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        if (seeds.Count == 0) throw new ArgumentException("give at least one seed input", nameof(seeds));
        _random = new Random(seed);
        _seeds = seeds;
        _tokens = [.. (tokens ?? []).Concat(InterestingNumbers).Select(System.Text.Encoding.UTF8.GetBytes)];
    }

    /// <summary>The next case: a seed with one to four mutations, and a short description of what was done.</summary>
    public (byte[] Input, string Steps) Next()
    {
        var seedIndex = _random.Next(_seeds.Count);
        var data = new List<byte>(_seeds[seedIndex]);
        var steps = new List<string> { $"seed {seedIndex}" };
        // Mostly one mutation, so that many cases stay close to a valid input and reach deep into the parser.
        var count = _random.Next(10) switch { < 6 => 1, < 8 => 2, 8 => 3, _ => 4 };
        for (var i = 0; i < count; i++) steps.Add(Mutate(data));
        if (data.Count > MaxLength) data.RemoveRange(MaxLength, data.Count - MaxLength);
        return ([.. data], string.Join(", ", steps));
    }

    string Mutate(List<byte> data)
    {
        var position = _random.Next(data.Count + 1);
        switch (_random.Next(11))
        {
            case 0 when data.Count > 0:
                position = Math.Min(position, data.Count - 1);
                data[position] ^= (byte)(1 << _random.Next(8));
                return $"flip bit at {position}";
            case 1 when data.Count > 0:
                position = Math.Min(position, data.Count - 1);
                data[position] = InterestingBytes[_random.Next(InterestingBytes.Length)];
                return $"set byte at {position}";
            case 2:
                var random = new byte[1 + _random.Next(8)];
                _random.NextBytes(random);
                data.InsertRange(position, random);
                return $"insert {random.Length} random bytes at {position}";
            case 3:
            case 4:
                var token = _tokens.Count > 0 ? _tokens[_random.Next(_tokens.Count)] : [InterestingBytes[_random.Next(InterestingBytes.Length)]];
                data.InsertRange(position, token);
                return $"insert token at {position}";
            case 5 when data.Count > 0:
                position = Math.Min(position, data.Count - 1);
                var length = Math.Min(1 + _random.Next(32), data.Count - position);
                data.RemoveRange(position, length);
                return $"delete {length} at {position}";
            case 6:
                data.RemoveRange(position, data.Count - position);
                return $"truncate at {position}";
            case 7:
                var other = _seeds[_random.Next(_seeds.Count)];
                var from = _random.Next(other.Length + 1);
                var take = Math.Min(_random.Next(64) + 1, other.Length - from);
                if (_random.Next(2) == 0) data.RemoveRange(position, data.Count - position);
                data.InsertRange(Math.Min(position, data.Count), other.Skip(from).Take(take));
                return $"splice {take} bytes of another seed at {position}";
            case 8:
                return MutateLine(data);
            case 9:
                return ReplaceNumber(data, position);
            default:
                if (data.Count == 0) return "nothing";
                position = Math.Min(position, data.Count - 1);
                var chunk = data.GetRange(position, Math.Min(1 + _random.Next(32), data.Count - position));
                var times = 2 + _random.Next(63);
                for (var i = 0; i < times && data.Count + chunk.Count <= MaxLength; i++) data.InsertRange(position, chunk);
                return $"repeat {chunk.Count} bytes at {position} {times} times";
        }
    }

    /// <summary>Deletes, doubles or swaps whole lines: the structure of line-based formats mostly survives.</summary>
    string MutateLine(List<byte> data)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < data.Count; i++)
            if (data[i] == '\n') starts.Add(i + 1);
        starts.Add(data.Count);
        var count = starts.Count - 1;
        var line = _random.Next(count);
        var bytes = data.GetRange(starts[line], starts[line + 1] - starts[line]);
        switch (_random.Next(3))
        {
            case 0:
                data.RemoveRange(starts[line], bytes.Count);
                return $"delete line {line + 1}";
            case 1:
                data.InsertRange(starts[line], bytes);
                return $"double line {line + 1}";
            default:
                var other = _random.Next(count);
                var otherBytes = data.GetRange(starts[other], starts[other + 1] - starts[other]);
                var (first, second) = line < other ? (line, other) : (other, line);
                if (first == second) return "swap a line with itself";
                var firstBytes = line < other ? bytes : otherBytes;
                var secondBytes = line < other ? otherBytes : bytes;
                data.RemoveRange(starts[second], secondBytes.Count);
                data.InsertRange(starts[second], firstBytes);
                data.RemoveRange(starts[first], firstBytes.Count);
                data.InsertRange(starts[first], secondBytes);
                return $"swap lines {first + 1} and {second + 1}";
        }
    }

    /// <summary>Replaces the first run of digits at or after <paramref name="position"/> with an edge value.</summary>
    string ReplaceNumber(List<byte> data, int position)
    {
        var start = data.FindIndex(Math.Min(position, data.Count), b => b is >= (byte)'0' and <= (byte)'9');
        if (start < 0) start = data.FindIndex(b => b is >= (byte)'0' and <= (byte)'9');
        if (start < 0) return "no number to replace";
        var end = start;
        while (end < data.Count && data[end] is >= (byte)'0' and <= (byte)'9' or (byte)'.' or (byte)'e' or (byte)'-') end++;
        var number = InterestingNumbers[_random.Next(InterestingNumbers.Length)];
        data.RemoveRange(start, end - start);
        data.InsertRange(start, System.Text.Encoding.UTF8.GetBytes(number));
        return $"number at {start} becomes {number}";
    }
}
