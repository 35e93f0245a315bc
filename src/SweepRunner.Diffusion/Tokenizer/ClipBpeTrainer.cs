using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using SweepRunner.Core.Files;

namespace SweepRunner.Diffusion.Tokenizer;

/// <summary>A trained vocabulary in CLIP's layout, ready to save as vocab.json + merges.txt.</summary>
/// <param name="Tokens">Tokens in id order: the 256 byte symbols, the same with "&lt;/w&gt;", one per merge, then BOS and EOS.</param>
/// <param name="Merges">The merges in rank order.</param>
public sealed record ClipBpeVocabulary(IReadOnlyList<string> Tokens, IReadOnlyList<(string First, string Second)> Merges)
{
    /// <summary>Writes <c>vocab.json</c> and <c>merges.txt</c> (with its "#version: 0.2" line) into <paramref name="folder"/>.</summary>
    public void Save(string folder)
    {
        Directory.CreateDirectory(folder);
        AtomicFile.Write(Path.Combine(folder, "vocab.json"), stream =>
        {
            using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            json.WriteStartObject();
            for (var id = 0; id < Tokens.Count; id++) json.WriteNumber(Tokens[id], id);
            json.WriteEndObject();
        });
        AtomicFile.Write(Path.Combine(folder, "merges.txt"), stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(false), bufferSize: -1, leaveOpen: true) { NewLine = "\n" };
            writer.WriteLine("#version: 0.2");
            foreach (var (first, second) in Merges) writer.WriteLine($"{first} {second}");
        });
    }
}

/// <summary>
/// Trains a small byte-level BPE vocabulary in CLIP's format from captions, for models that do not use
/// CLIP's own 49408-token vocabulary (the demo model). Words are found exactly as the tokenizer finds them;
/// the most frequent adjacent pair is merged repeatedly (ties broken by ordinal order, so the result is
/// deterministic) until the vocabulary is full or no pair occurs <c>minPairCount</c> times.
/// </summary>
public static class ClipBpeTrainer
{
    /// <summary>Tokens every vocabulary starts with: 256 byte symbols and 256 end-of-word byte symbols.</summary>
    public const int BaseTokenCount = 512;

    /// <param name="captions">The training text.</param>
    /// <param name="vocabularySize">Total tokens wanted, base and special tokens included (at least 514).</param>
    /// <param name="minPairCount">A pair must occur at least this often to be merged.</param>
    public static ClipBpeVocabulary Train(IEnumerable<string> captions, int vocabularySize, int minPairCount = 2)
    {
        ArgumentNullException.ThrowIfNull(captions);
        if (vocabularySize < BaseTokenCount + 2)
            throw new ArgumentOutOfRangeException(nameof(vocabularySize), vocabularySize, $"A byte-level vocabulary needs at least {BaseTokenCount + 2} tokens.");
        ArgumentOutOfRangeException.ThrowIfLessThan(minPairCount, 1);

        var tokens = new List<string>(vocabularySize);
        tokens.AddRange(ByteUnicodeMap.VocabularyOrder.Select(c => c.ToString()));
        tokens.AddRange(ByteUnicodeMap.VocabularyOrder.Select(c => c + BpeMerger.EndOfWord));
        var known = new HashSet<string>(tokens, StringComparer.Ordinal);

        var words = CountWords(captions);
        var merges = new List<(string, string)>();
        while (tokens.Count < vocabularySize - 2)
        {
            var best = MostFrequentPair(words, minPairCount);
            if (best is not { } pair) break;
            merges.Add(pair);
            var merged = pair.First + pair.Second;
            if (known.Add(merged)) tokens.Add(merged);
            foreach (var word in words) word.Apply(pair, merged);
        }
        tokens.Add(ClipTokenizer.StartOfText);
        tokens.Add(ClipTokenizer.EndOfText);
        return new ClipBpeVocabulary(tokens, merges);
    }

    sealed class Word(List<string> symbols, int count)
    {
        public List<string> Symbols { get; private set; } = symbols;
        public int Count { get; } = count;

        public void Apply((string First, string Second) pair, string merged)
        {
            if (Symbols.Count < 2) return;
            List<string>? result = null;
            for (var i = 0; i < Symbols.Count; i++)
            {
                if (i < Symbols.Count - 1 && Symbols[i] == pair.First && Symbols[i + 1] == pair.Second)
                {
                    result ??= Symbols.Take(i).ToList();
                    result.Add(merged);
                    i++;
                }
                else
                {
                    result?.Add(Symbols[i]);
                }
            }
            if (result is not null) Symbols = result;
        }
    }

    static List<Word> CountWords(IEnumerable<string> captions)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        string[] specials = [ClipTokenizer.StartOfText, ClipTokenizer.EndOfText];
        foreach (var caption in captions)
            foreach (var piece in ClipPreTokenizer.Split(ClipTextCleaner.Clean(caption), specials))
            {
                if (specials.Contains(piece)) continue;
                var encoded = ByteUnicodeMap.Encode(piece);
                counts[encoded] = counts.GetValueOrDefault(encoded) + 1;
            }
        return counts.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p =>
        {
            var symbols = p.Key.Select(c => c.ToString()).ToList();
            symbols[^1] += BpeMerger.EndOfWord;
            return new Word(symbols, p.Value);
        }).ToList();
    }

    static (string First, string Second)? MostFrequentPair(List<Word> words, int minPairCount)
    {
        var counts = new Dictionary<(string, string), int>();
        foreach (var word in words)
            for (var i = 0; i < word.Symbols.Count - 1; i++)
            {
                var pair = (word.Symbols[i], word.Symbols[i + 1]);
                counts[pair] = counts.GetValueOrDefault(pair) + word.Count;
            }
        (string, string)? best = null;
        var bestCount = 0;
        foreach (var (pair, count) in counts)
        {
            if (count < minPairCount) continue;
            if (count > bestCount || (count == bestCount && Compare(pair, best!.Value) < 0))
            {
                best = pair;
                bestCount = count;
            }
        }
        return best;
    }

    static int Compare((string, string) a, (string, string) b)
    {
        var first = string.CompareOrdinal(a.Item1, b.Item1);
        return first != 0 ? first : string.CompareOrdinal(a.Item2, b.Item2);
    }
}
