namespace SweepRunner.Diffusion.Model;

/// <summary>A base model cannot be found or is not a model SweepRunner can load; the message names the file and the fix.</summary>
public sealed class ModelLoadException(string path, string problem) : Exception($"'{path}': {problem}")
{
    /// <summary>The file or folder at fault.</summary>
    public string FilePath { get; } = path;
}
