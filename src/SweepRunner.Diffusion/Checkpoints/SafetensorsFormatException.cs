namespace SweepRunner.Diffusion.Checkpoints;

/// <summary>A file is not a valid safetensors file, or asks for something the reader refuses to do.</summary>
public sealed class SafetensorsFormatException : Exception
{
    public SafetensorsFormatException(string path, string? tensor, string problem)
        : base(Describe(path, tensor, problem))
    {
        FilePath = path;
        TensorName = tensor;
    }

    /// <summary>The file that was being read.</summary>
    public string FilePath { get; }

    /// <summary>The tensor whose header entry is at fault, when the fault is in one entry.</summary>
    public string? TensorName { get; }

    static string Describe(string path, string? tensor, string problem) =>
        tensor is null
            ? $"'{path}' is not a valid safetensors file: {problem}"
            : $"'{path}' is not a valid safetensors file: tensor '{tensor}': {problem}";
}
