using System.Globalization;
using SweepRunner.Diffusion.TextEncoder;
using SweepRunner.Diffusion.Tokenizer;

namespace SweepRunner.Diffusion.Model;

/// <summary>
/// Whether a tokenizer belongs to a text encoder: its ids must be rows of the token embedding, and an embedding of CLIP's
/// size (49408 rows, every SD 1.x checkpoint) needs CLIP's whole vocabulary, since any other vocabulary numbers its tokens
/// differently and every prompt would be read as other words. The demo and test models are built with rows to spare, so
/// for embeddings smaller than CLIP's a smaller vocabulary is fine.
/// </summary>
public static class TokenizerFit
{
    /// <summary>Why <paramref name="tokenizer"/> does not fit <paramref name="config"/>, or null when it does.</summary>
    public static string? Problem(ClipTokenizer tokenizer, ClipTextConfig config)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(config);
        var rows = config.VocabSize;
        var size = tokenizer.VocabularySize;
        var highest = Math.Max(tokenizer.BosId, tokenizer.EosId);
        var clipSized = rows >= ClipTextConfig.Sd15.VocabSize;
        if (size <= rows && highest < rows && (!clipSized || size == rows)) return null;
        var where = tokenizer.Folder is { } folder ? $"the tokenizer in '{folder}'" : "the tokenizer";
        const string advice = "the tokenizer files do not belong to this model. Use the model's own tokenizer/ folder (for an SD 1.x "
            + "checkpoint, the tokenizer of openai/clip-vit-large-patch14, 49408 tokens), next to the checkpoint or given with --tokenizer.";
        return string.Create(CultureInfo.InvariantCulture,
            $"{where} has {size} tokens (ids up to {highest}) but the text encoder's token embedding has {rows} rows: {advice}");
    }

    /// <exception cref="ModelLoadException">The tokenizer does not fit; the message names its folder, its size and the embedding's rows.</exception>
    public static void Check(ClipTokenizer tokenizer, ClipTextConfig config)
    {
        if (Problem(tokenizer, config) is { } problem)
            throw new ModelLoadException(tokenizer.Folder ?? "tokenizer", problem);
    }
}
