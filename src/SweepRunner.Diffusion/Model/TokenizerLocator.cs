using SweepRunner.Diffusion.Tokenizer;

namespace SweepRunner.Diffusion.Model;

/// <summary>Finds the CLIP tokenizer files of a base model.</summary>
public static class TokenizerLocator
{
    /// <summary>
    /// Loads the tokenizer from <paramref name="explicitFolder"/> when given, else from the model's
    /// <see cref="ModelLocation.TokenizerFolder"/> (<c>tokenizer/</c> inside a diffusers folder, or next to a
    /// single-file checkpoint).
    /// </summary>
    /// <exception cref="ModelLoadException">The folder is missing or lacks vocab.json / merges.txt; the message says where it looked.</exception>
    /// <exception cref="TokenizerFilesException">The files are malformed.</exception>
    public static ClipTokenizer Load(ModelLocation model, string? explicitFolder = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var folder = Path.GetFullPath(explicitFolder ?? model.TokenizerFolder);
        var vocab = Path.Combine(folder, "vocab.json");
        var merges = Path.Combine(folder, "merges.txt");
        if (File.Exists(vocab) && File.Exists(merges))
            return ClipTokenizer.FromFolder(folder);

        var missing = string.Join(" and ", new[] { vocab, merges }.Where(f => !File.Exists(f)).Select(Path.GetFileName));
        var where = explicitFolder is not null
            ? $"the tokenizer folder given has no {missing}"
            : model.Format == ModelFormat.DiffusersFolder
                ? $"the model folder's tokenizer/ has no {missing}"
                : $"looked for {missing} in the tokenizer/ folder next to the checkpoint";
        throw new ModelLoadException(folder,
            $"no CLIP tokenizer: {where}. A single-file checkpoint does not contain its tokenizer: copy the tokenizer/ folder "
            + "(vocab.json and merges.txt) of a diffusers SD 1.5 model, or of openai/clip-vit-large-patch14, next to the checkpoint, "
            + "or pass its folder with --tokenizer.");
    }
}
