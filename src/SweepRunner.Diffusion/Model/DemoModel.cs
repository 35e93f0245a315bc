namespace SweepRunner.Diffusion.Model;

/// <summary>
/// The small bundled model that <c>--model demo</c> (and the default <c>pretrained_model_name_or_path</c>) names: the
/// folder <c>models/demo/</c> holding <c>model.safetensors</c> (single-file layout, metadata
/// <c>sweeprunner.config = tiny</c>) and <c>tokenizer/vocab.json</c> + <c>tokenizer/merges.txt</c>.
/// </summary>
public static class DemoModel
{
    /// <summary>The model name that resolves to the bundled demo model.</summary>
    public const string Name = "demo";

    /// <summary>The folder, relative to the repository root or to the program's folder.</summary>
    public static readonly string RelativeFolder = Path.Combine("models", "demo");

    /// <summary>The weights file inside the folder.</summary>
    public const string WeightsFile = "model.safetensors";

    /// <summary>
    /// The demo model folder: the first <c>models/demo/</c> holding <c>model.safetensors</c> found in
    /// <paramref name="searchStarts"/> or their parent folders (default: the program's folder, then the current folder).
    /// </summary>
    /// <exception cref="ModelLoadException">No such folder; the message lists where it looked.</exception>
    public static string Locate(IEnumerable<string>? searchStarts = null)
    {
        var starts = (searchStarts ?? [AppContext.BaseDirectory, Directory.GetCurrentDirectory()])
            .Select(Path.GetFullPath).Distinct(StringComparer.Ordinal).ToList();
        foreach (var start in starts)
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var folder = Path.Combine(dir.FullName, RelativeFolder);
                if (File.Exists(Path.Combine(folder, WeightsFile)))
                    return folder;
            }
        }

        throw new ModelLoadException(Path.Combine(RelativeFolder, WeightsFile),
            $"the demo model was not found in {string.Join(" or ", starts.Select(s => $"'{s}'"))} or their parent folders. "
            + "It ships in the repository's models/demo/ folder: run SweepRunner from a clone of the repository, "
            + "or pass --model with a .safetensors checkpoint or a diffusers model folder.");
    }
}
