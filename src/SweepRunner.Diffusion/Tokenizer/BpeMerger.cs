using System.Collections.Concurrent;

namespace SweepRunner.Diffusion.Tokenizer;

/// <summary>
/// Applies ranked BPE merges to one pre-tokenized, byte-encoded word whose last symbol carries the
/// end-of-word suffix: the lowest-ranked adjacent pair is merged everywhere, repeatedly, until no pair
/// has a rank. Results are cached per word.
/// </summary>
public sealed class BpeMerger
{
    /// <summary>The suffix that marks the last symbol of a word.</summary>
    public const string EndOfWord = "</w>";

    readonly Dictionary<(string, string), int> _ranks;
    readonly ConcurrentDictionary<string, string[]> _cache = new(StringComparer.Ordinal);

    public BpeMerger(IReadOnlyList<(string First, string Second)> merges)
    {
        _ranks = new Dictionary<(string, string), int>(merges.Count);
        for (var i = 0; i < merges.Count; i++)
            _ranks.TryAdd(merges[i], i); // a repeated merge keeps its first (best) rank
    }

    /// <summary>Number of distinct merges.</summary>
    public int Count => _ranks.Count;

    /// <summary>The BPE symbols of <paramref name="word"/> (already byte-encoded, without suffix).</summary>
    public IReadOnlyList<string> Merge(string word) =>
        word.Length == 0 ? [] : _cache.GetOrAdd(word, MergeUncached);

    string[] MergeUncached(string word)
    {
        var symbols = new List<string>(word.Length);
        for (var i = 0; i < word.Length - 1; i++) symbols.Add(word[i].ToString());
        symbols.Add(word[^1] + EndOfWord);

        while (symbols.Count > 1)
        {
            var bestRank = int.MaxValue;
            (string, string) best = default;
            for (var i = 0; i < symbols.Count - 1; i++)
            {
                if (_ranks.TryGetValue((symbols[i], symbols[i + 1]), out var rank) && rank < bestRank)
                {
                    bestRank = rank;
                    best = (symbols[i], symbols[i + 1]);
                }
            }
            if (bestRank == int.MaxValue) break;

            var merged = new List<string>(symbols.Count);
            for (var i = 0; i < symbols.Count; i++)
            {
                if (i < symbols.Count - 1 && symbols[i] == best.Item1 && symbols[i + 1] == best.Item2)
                {
                    merged.Add(best.Item1 + best.Item2);
                    i++;
                }
                else
                {
                    merged.Add(symbols[i]);
                }
            }
            symbols = merged;
        }
        return symbols.ToArray();
    }
}
