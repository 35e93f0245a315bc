using System.Text.Json;
using SweepRunner.TestSupport;
using SweepRunner.Diffusion.Tokenizer;

namespace SweepRunner.Diffusion.Tests.Tokenizer;

public class ClipTokenizerTests : IDisposable
{
    readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    string WriteFolder(string[] vocab, string[] merges, string? specialTokensMap = null)
    {
        var path = Path.Combine(_folder.Path, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, "vocab.json"), JsonSerializer.Serialize(vocab.Select((t, i) => (t, i)).ToDictionary(p => p.t, p => p.i)));
        File.WriteAllText(Path.Combine(path, "merges.txt"), string.Join("\n", merges));
        if (specialTokensMap is not null) File.WriteAllText(Path.Combine(path, "special_tokens_map.json"), specialTokensMap);
        return path;
    }

    [Fact]
    public void TheTransformersSmallVocabularyTestGivesItsPublishedTokens()
    {
        // huggingface/transformers tests/models/clip/test_tokenization_clip.py: vocabulary, merges and expectations.
        string[] vocab = ["l", "o", "w", "e", "r", "s", "t", "i", "d", "n", "lo", "l</w>", "w</w>", "r</w>", "t</w>", "low</w>", "er</w>", "lowest</w>", "newer</w>", "wider", "<unk>", "<|startoftext|>", "<|endoftext|>"];
        var folder = WriteFolder(vocab, ["#version: 0.2", "l o", "lo w</w>", "e r</w>"], "{\"unk_token\": \"<unk>\"}");
        var tokenizer = ClipTokenizer.FromFolder(folder);
        Assert.Equal(["lo", "w", "er</w>", "n", "e", "w", "er</w>"], tokenizer.Tokenize("lower newer"));
        Assert.Equal([10, 2, 16, 9, 3, 2, 16, 20], tokenizer.EncodeTokens("lower newer x"));
    }

    // Hand-built vocabulary; expectations worked out by hand from the merge ranks.
    static readonly string[] HandVocab = ["a", "c", "h", "t", "a</w>", "t</w>", "s</w>", "at</w>", "cat</w>", "ha", ",</w>", "<|startoftext|>", "<|endoftext|>"];
    static readonly string[] HandMerges = ["#version: 0.2", "a t</w>", "c at</w>", "h a"];

    [Fact]
    public void MergesApplyByRankNotByPosition()
    {
        var tokenizer = ClipTokenizer.FromFolder(WriteFolder(HandVocab, HandMerges));
        // "cat": c a t</w> -> (a,t</w>) rank 0 -> c at</w> -> (c,at</w>) rank 1 -> cat</w>.
        // "hat": h a t</w> -> (a,t</w>) rank 0 beats (h,a) rank 2 -> h at</w>; (h,at</w>) has no rank.
        // "a": a single symbol becomes a</w>.
        Assert.Equal(["a</w>", "cat</w>", "h", "at</w>"], tokenizer.Tokenize("A  Cat HAT"));
        Assert.Equal([4, 8, 2, 7], tokenizer.EncodeTokens("a cat hat"));
    }

    [Fact]
    public void EncodingAddsBosAndEosAndPadsWithEos()
    {
        var tokenizer = ClipTokenizer.FromFolder(WriteFolder(HandVocab, HandMerges), maxLength: 6);
        var encoding = tokenizer.Encode("cat, a");
        Assert.Equal([11, 8, 10, 4, 12, 12], encoding.Ids);
        Assert.Equal(5, encoding.Length);
        Assert.False(encoding.Truncated);
    }

    [Fact]
    public void EncodingTruncatesToMaxLengthMinusTwoTokens()
    {
        var tokenizer = ClipTokenizer.FromFolder(WriteFolder(HandVocab, HandMerges), maxLength: 5);
        var encoding = tokenizer.Encode("cat cat hat cat");
        Assert.Equal([11, 8, 8, 2, 12], encoding.Ids);
        Assert.True(encoding.Truncated);
        Assert.Equal(5, encoding.Length);
    }

    [Fact]
    public void ThePadTokenComesFromTheSpecialTokensMap()
    {
        var folder = WriteFolder(HandVocab, HandMerges, "{\"pad_token\": {\"content\": \"a</w>\", \"lstrip\": false}}");
        var tokenizer = ClipTokenizer.FromFolder(folder, maxLength: 5);
        Assert.Equal(4, tokenizer.PadId);
        Assert.Equal([11, 8, 12, 4, 4], tokenizer.Encode("cat").Ids);
    }

    [Fact]
    public void UnknownSymbolsBecomeTheUnknownToken()
    {
        var tokenizer = ClipTokenizer.FromFolder(WriteFolder(HandVocab, HandMerges));
        Assert.Equal([8, 12], tokenizer.EncodeTokens("cat z"));
    }

    [Fact]
    public void SpecialTokensInTheTextKeepTheirIds()
    {
        var tokenizer = ClipTokenizer.FromFolder(WriteFolder(HandVocab, HandMerges));
        Assert.Equal([8, 12, 4], tokenizer.EncodeTokens("cat<|endoftext|>a"));
    }

    [Fact]
    public void MissingFilesAreNamed()
    {
        var folder = WriteFolder(HandVocab, HandMerges);
        File.Delete(Path.Combine(folder, "merges.txt"));
        var error = Assert.Throws<TokenizerFilesException>(() => ClipTokenizer.FromFolder(folder));
        Assert.Contains("merges.txt", error.Message);
    }

    [Fact]
    public void AVocabularyWithoutEndOfTextIsRejected()
    {
        var error = Assert.Throws<TokenizerFilesException>(() => ClipTokenizer.FromFolder(WriteFolder(["a", "<|startoftext|>"], [])));
        Assert.Contains("<|endoftext|>", error.Message);
        Assert.Contains("vocab.json", error.Message);
    }

    [Fact]
    public void AMalformedMergeLineIsNamedByNumber()
    {
        var error = Assert.Throws<TokenizerFilesException>(() => ClipTokenizer.FromFolder(WriteFolder(HandVocab, ["#version: 0.2", "a t</w>", "c at</w> x"])));
        Assert.Contains("line 3", error.Message);
    }
}
