namespace SweepRunner.Diffusion.Tokenizer;

/// <summary>The tokenizer files (vocab.json, merges.txt, special_tokens_map.json) are missing or malformed.</summary>
public sealed class TokenizerFilesException(string path, string message) : Exception($"'{path}': {message}")
{
    /// <summary>The file at fault.</summary>
    public string FilePath { get; } = path;
}
