using SweepRunner.Diffusion.Checkpoints;

namespace SweepRunner.Diffusion.Model;

/// <summary>Turns a model argument (<c>demo</c>, a .safetensors file, a diffusers folder) into a <see cref="ModelLocation"/>.</summary>
public static class ModelLocator
{
    /// <summary>The tokenizer subfolder of a diffusers model, also looked for next to a single-file checkpoint.</summary>
    public const string TokenizerFolderName = "tokenizer";

    /// <summary>
    /// Resolves <paramref name="model"/>: <c>demo</c> is the bundled demo model (<see cref="DemoModel.Locate"/>); a file
    /// is a single-file checkpoint (pickles are refused); a folder with <c>unet/</c> or <c>model_index.json</c> is a
    /// diffusers model; a folder holding <c>model.safetensors</c> is a single-file checkpoint with its tokenizer beside it.
    /// </summary>
    /// <exception cref="ModelLoadException">Nothing usable at that path.</exception>
    /// <exception cref="PickleCheckpointException">A .ckpt/.pt/.pth file.</exception>
    public static ModelLocation Resolve(string model)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        if (string.Equals(model, DemoModel.Name, StringComparison.Ordinal))
        {
            var folder = DemoModel.Locate();
            return new ModelLocation(Path.Combine(folder, DemoModel.WeightsFile), ModelFormat.SingleFile,
                Path.Combine(folder, TokenizerFolderName), DemoModel.Name);
        }

        var path = Path.GetFullPath(model);
        if (File.Exists(path))
        {
            PickleCheckpoints.ThrowIfPickleName(path);
            return new ModelLocation(path, ModelFormat.SingleFile,
                Path.Combine(Path.GetDirectoryName(path)!, TokenizerFolderName), Path.GetFileNameWithoutExtension(path));
        }

        if (Directory.Exists(path))
        {
            var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(path));
            if (Directory.Exists(Path.Combine(path, "unet")) || File.Exists(Path.Combine(path, "model_index.json")))
                return new ModelLocation(path, ModelFormat.DiffusersFolder, Path.Combine(path, TokenizerFolderName), name);
            var weights = Path.Combine(path, DemoModel.WeightsFile);
            if (File.Exists(weights))
                return new ModelLocation(weights, ModelFormat.SingleFile, Path.Combine(path, TokenizerFolderName), name);
            throw new ModelLoadException(path,
                "this folder is neither a diffusers model (unet/, text_encoder/, vae/, tokenizer/) nor a folder holding model.safetensors; "
                + "pass a .safetensors checkpoint file or a diffusers model folder.");
        }

        throw new ModelLoadException(path,
            $"no such file or folder. Pass a .safetensors checkpoint, a diffusers model folder, or '{DemoModel.Name}' for the bundled demo model.");
    }
}
