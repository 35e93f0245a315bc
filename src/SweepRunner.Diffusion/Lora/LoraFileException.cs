namespace SweepRunner.Diffusion.Lora;

/// <summary>A LoRA file does not fit the model or holds keys SweepRunner cannot apply; the message names the file, the key and the fix.</summary>
public sealed class LoraFileException(string path, string problem) : Exception($"'{path}': {problem}")
{
    /// <summary>The LoRA file.</summary>
    public string FilePath { get; } = path;
}
