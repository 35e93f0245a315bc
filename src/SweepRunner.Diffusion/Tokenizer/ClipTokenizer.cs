using System.Text;
using System.Text.Json;

namespace SweepRunner.Diffusion.Tokenizer;

/// <summary>
/// CLIP's byte-level BPE tokenizer, read from the <c>vocab.json</c> and <c>merges.txt</c> of a diffusers
/// model's <c>tokenizer/</c> folder. Prompts are cleaned (<see cref="ClipTextCleaner"/>), split
/// (<see cref="ClipPreTokenizer"/>), byte-encoded and merged; encodings are BOS + at most MaxLength-2
/// tokens + EOS, padded to MaxLength with the pad token.
/// </summary>
/// <remarks>
/// Padding: the pad token is the <c>pad_token</c> of <c>special_tokens_map.json</c> when the folder has one,
/// otherwise <c>&lt;|endoftext|&gt;</c>. SD 1.x's tokenizer (openai/clip-vit-large-patch14, which sd-scripts
/// loads for v1 models) pads with <c>&lt;|endoftext|&gt;</c> = EOS 49407; SD 2.x's pads with "!" (id 0).
/// sd-scripts pads with the tokenizer's own pad token, so both agree with this.
/// </remarks>
public sealed class ClipTokenizer
{
    /// <summary>The start-of-text token.</summary>
    public const string StartOfText = "<|startoftext|>";

    /// <summary>The end-of-text token.</summary>
    public const string EndOfText = "<|endoftext|>";

    /// <summary>CLIP's context length: 75 tokens + BOS + EOS.</summary>
    public const int DefaultMaxLength = 77;

    readonly Dictionary<string, int> _vocab;
    readonly string[] _idToToken;
    readonly BpeMerger _merger;
    readonly string[] _specials;

    ClipTokenizer(Dictionary<string, int> vocab, BpeMerger merger, string vocabPath, string? padToken, string? unkToken, int maxLength)
    {
        _vocab = vocab;
        _merger = merger;
        MaxLength = maxLength;
        BosId = RequireToken(vocabPath, StartOfText);
        EosId = RequireToken(vocabPath, EndOfText);
        PadId = padToken is null ? EosId : RequireToken(vocabPath, padToken);
        UnknownId = unkToken is null ? EosId : RequireToken(vocabPath, unkToken);
        _specials = [StartOfText, EndOfText];
        _idToToken = new string[vocab.Values.Max() + 1];
        foreach (var (token, id) in vocab) _idToToken[id] = token;
    }

    /// <summary>Id of <c>&lt;|startoftext|&gt;</c> (49406 in CLIP's vocabulary).</summary>
    public int BosId { get; }

    /// <summary>Id of <c>&lt;|endoftext|&gt;</c> (49407 in CLIP's vocabulary).</summary>
    public int EosId { get; }

    /// <summary>Id that fills encodings up to <see cref="MaxLength"/>.</summary>
    public int PadId { get; }

    /// <summary>Id for a token that is not in the vocabulary.</summary>
    public int UnknownId { get; }

    /// <summary>Length of every encoding, BOS and EOS included.</summary>
    public int MaxLength { get; }

    /// <summary>The folder it was loaded from; null when loaded from explicit files.</summary>
    public string? Folder { get; private set; }

    /// <summary>Number of entries in the vocabulary.</summary>
    public int VocabularySize => _vocab.Count;

    /// <summary>
    /// Loads <c>vocab.json</c> and <c>merges.txt</c> from <paramref name="folder"/>, and the pad and unknown
    /// tokens from its <c>special_tokens_map.json</c> when present.
    /// </summary>
    public static ClipTokenizer FromFolder(string folder, int maxLength = DefaultMaxLength)
    {
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"Tokenizer folder '{folder}' does not exist; it should hold vocab.json and merges.txt (the tokenizer/ folder of a diffusers model).");
        var specials = Path.Combine(folder, "special_tokens_map.json");
        var (pad, unk) = File.Exists(specials) ? ReadSpecialTokens(specials) : (null, null);
        var tokenizer = FromFiles(Path.Combine(folder, "vocab.json"), Path.Combine(folder, "merges.txt"), pad, unk, maxLength);
        tokenizer.Folder = Path.GetFullPath(folder);
        return tokenizer;
    }

    /// <summary>Loads a tokenizer from explicit files.</summary>
    /// <param name="padToken">The padding token; null means <c>&lt;|endoftext|&gt;</c>.</param>
    /// <param name="unknownToken">The token for unknown symbols; null means <c>&lt;|endoftext|&gt;</c>.</param>
    public static ClipTokenizer FromFiles(string vocabPath, string mergesPath, string? padToken = null, string? unknownToken = null,
        int maxLength = DefaultMaxLength)
    {
        if (maxLength < 2)
            throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, "An encoding needs room for BOS and EOS.");
        var vocab = ReadVocabulary(vocabPath);
        var merges = ReadMerges(mergesPath);
        return new ClipTokenizer(vocab, new BpeMerger(merges), vocabPath, padToken, unknownToken, maxLength);
    }

    /// <summary>The BPE tokens of <paramref name="text"/> (no BOS/EOS), as vocabulary strings.</summary>
    public IReadOnlyList<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        foreach (var piece in ClipPreTokenizer.Split(ClipTextCleaner.Clean(text), _specials))
        {
            if (_specials.Contains(piece))
                tokens.Add(piece);
            else
                tokens.AddRange(_merger.Merge(ByteUnicodeMap.Encode(piece)));
        }
        return tokens;
    }

    /// <summary>The ids of <paramref name="text"/>'s tokens, without BOS, EOS, truncation or padding.</summary>
    public IReadOnlyList<int> EncodeTokens(string text) =>
        Tokenize(text).Select(t => _vocab.TryGetValue(t, out var id) ? id : UnknownId).ToArray();

    /// <summary>
    /// BOS + the first <see cref="MaxLength"/>-2 token ids + EOS, padded with <see cref="PadId"/> to
    /// <see cref="MaxLength"/>.
    /// </summary>
    public ClipEncoding Encode(string text)
    {
        var tokens = EncodeTokens(text);
        var kept = Math.Min(tokens.Count, MaxLength - 2);
        var ids = new int[MaxLength];
        ids[0] = BosId;
        for (var i = 0; i < kept; i++) ids[i + 1] = tokens[i];
        ids[kept + 1] = EosId;
        for (var i = kept + 2; i < MaxLength; i++) ids[i] = PadId;
        return new ClipEncoding(ids, kept + 2, tokens.Count > kept);
    }

    /// <summary>The text of <paramref name="ids"/>: end-of-word marks become spaces; BOS, EOS and padding are dropped unless asked for.</summary>
    public string Decode(IEnumerable<int> ids, bool keepSpecialTokens = false)
    {
        var bytes = new List<byte>();
        var text = new StringBuilder();
        foreach (var id in ids)
        {
            if (id < 0 || id >= _idToToken.Length || _idToToken[id] is not { } token)
                throw new ArgumentOutOfRangeException(nameof(ids), id, $"Token id {id} is not in the vocabulary.");
            if (id == BosId || id == EosId || id == PadId)
            {
                if (keepSpecialTokens) AppendToken(token, bytes, text, special: true);
                continue;
            }
            AppendToken(token, bytes, text, special: false);
        }
        Flush(bytes, text);
        return text.ToString().Trim();
    }

    static void AppendToken(string token, List<byte> bytes, StringBuilder text, bool special)
    {
        if (special)
        {
            Flush(bytes, text);
            text.Append(token);
            return;
        }
        var endsWord = token.EndsWith(BpeMerger.EndOfWord, StringComparison.Ordinal);
        var body = endsWord ? token[..^BpeMerger.EndOfWord.Length] : token;
        foreach (var c in body)
            if (ByteUnicodeMap.TryDecode(c, out var b)) bytes.Add(b);
        if (endsWord)
        {
            Flush(bytes, text);
            text.Append(' ');
        }
    }

    static void Flush(List<byte> bytes, StringBuilder text)
    {
        if (bytes.Count == 0) return;
        text.Append(Encoding.UTF8.GetString(bytes.ToArray()));
        bytes.Clear();
    }

    int RequireToken(string vocabPath, string token) =>
        _vocab.TryGetValue(token, out var id)
            ? id
            : throw new TokenizerFilesException(vocabPath, $"the vocabulary has no '{token}' entry, which a CLIP tokenizer needs; is this the vocab.json of a CLIP tokenizer?");

    static Dictionary<string, int> ReadVocabulary(string path)
    {
        if (!File.Exists(path))
            throw new TokenizerFilesException(path, "vocab.json is missing; a CLIP tokenizer folder holds vocab.json and merges.txt.");
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new TokenizerFilesException(path, "expected a JSON object mapping tokens to ids.");
            var used = new HashSet<int>();
            foreach (var entry in document.RootElement.EnumerateObject())
            {
                if (entry.Value.ValueKind != JsonValueKind.Number || !entry.Value.TryGetInt32(out var id) || id < 0)
                    throw new TokenizerFilesException(path, $"token '{entry.Name}' has id {entry.Value.GetRawText()}, expected a non-negative whole number.");
                if (!used.Add(id))
                    throw new TokenizerFilesException(path, $"id {id} is given to more than one token (one of them '{entry.Name}').");
                if (!vocab.TryAdd(entry.Name, id))
                    throw new TokenizerFilesException(path, $"token '{entry.Name}' appears twice.");
            }
        }
        catch (JsonException e)
        {
            throw new TokenizerFilesException(path, $"not valid JSON ({e.Message}).");
        }
        if (vocab.Count == 0)
            throw new TokenizerFilesException(path, "the vocabulary is empty.");
        return vocab;
    }

    static List<(string, string)> ReadMerges(string path)
    {
        if (!File.Exists(path))
            throw new TokenizerFilesException(path, "merges.txt is missing; a CLIP tokenizer folder holds vocab.json and merges.txt.");
        var merges = new List<(string, string)>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path, Encoding.UTF8))
        {
            lineNumber++;
            if (line.Length == 0 || (lineNumber == 1 && line.StartsWith("#version", StringComparison.Ordinal)))
                continue;
            var parts = line.Split(' ');
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
                throw new TokenizerFilesException(path, $"line {lineNumber} is '{line}', expected two symbols separated by one space.");
            merges.Add((parts[0], parts[1]));
        }
        return merges;
    }

    static (string? Pad, string? Unknown) ReadSpecialTokens(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            return (TokenContent(document.RootElement, "pad_token", path), TokenContent(document.RootElement, "unk_token", path));
        }
        catch (JsonException e)
        {
            throw new TokenizerFilesException(path, $"not valid JSON ({e.Message}).");
        }
    }

    static string? TokenContent(JsonElement root, string key, string path)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(key, out var value)) return null;
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Object when value.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String => content.GetString(),
            JsonValueKind.Null => null,
            _ => throw new TokenizerFilesException(path, $"'{key}' should be a token string or an object with 'content'."),
        };
    }
}
