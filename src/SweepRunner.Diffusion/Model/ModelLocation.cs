namespace SweepRunner.Diffusion.Model;

/// <summary>How a base model is stored.</summary>
public enum ModelFormat
{
    /// <summary>One .safetensors file with LDM key names (what users download).</summary>
    SingleFile,

    /// <summary>A diffusers model folder: unet/, text_encoder/, vae/, tokenizer/.</summary>
    DiffusersFolder,
}

/// <summary>A base model found on disk.</summary>
/// <param name="Path">The .safetensors file (single file) or the model folder (diffusers).</param>
/// <param name="Format">How the weights are stored.</param>
/// <param name="TokenizerFolder">Where the tokenizer files are expected when no folder is given explicitly.</param>
/// <param name="Name">The model's name for image metadata: the file name without extension, the folder name, or <c>demo</c>.</param>
public sealed record ModelLocation(string Path, ModelFormat Format, string TokenizerFolder, string Name);
