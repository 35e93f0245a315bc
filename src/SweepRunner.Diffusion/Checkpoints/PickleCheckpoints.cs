namespace SweepRunner.Diffusion.Checkpoints;

/// <summary>
/// Recognises PyTorch pickle checkpoints (.ckpt, .pt, .pth, or a torch.save zip/pickle under another name)
/// and refuses them: unpickling can run arbitrary code from the file.
/// </summary>
public static class PickleCheckpoints
{
    static readonly string[] PickleExtensions = [".ckpt", ".pt", ".pth"];

    /// <summary>True when the file name has a pickle checkpoint extension (.ckpt, .pt, .pth).</summary>
    public static bool HasPickleExtension(string path)
    {
        var extension = Path.GetExtension(path);
        return PickleExtensions.Any(e => string.Equals(e, extension, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// True when the first bytes look like torch.save output: a zip archive ("PK\x03\x04") or a bare pickle
    /// (protocol marker 0x80, protocol 2-5). Only meaningful once the bytes failed as a safetensors header
    /// length, since a small safetensors header can start with the same two bytes.
    /// </summary>
    public static bool HasPickleSignature(ReadOnlySpan<byte> firstBytes)
    {
        if (firstBytes.Length >= 4 && firstBytes[0] == (byte)'P' && firstBytes[1] == (byte)'K' && firstBytes[2] == 3 && firstBytes[3] == 4)
            return true;
        return firstBytes.Length >= 2 && firstBytes[0] == 0x80 && firstBytes[1] is >= 2 and <= 5;
    }

    /// <summary>The message that explains the refusal and how to convert the file.</summary>
    public static string RefusalMessage(string path)
    {
        var stem = Path.GetFileNameWithoutExtension(path);
        var source = Path.GetFileName(path);
        return $"'{path}' is a PyTorch pickle checkpoint. Loading a pickle can run arbitrary code stored in the file, "
            + "so SweepRunner only reads .safetensors files. Convert it once, in a Python environment you trust, with torch and safetensors installed:\n"
            + $"  python -c \"import torch, safetensors.torch as st; sd = torch.load('{source}', map_location='cpu', weights_only=True); "
            + $"sd = sd.get('state_dict', sd); st.save_file({{k: v.detach().clone().contiguous() for k, v in sd.items() if isinstance(v, torch.Tensor)}}, '{stem}.safetensors')\"\n"
            + "then point SweepRunner at the .safetensors file.";
    }

    /// <summary>Throws <see cref="PickleCheckpointException"/> when the file name says it is a pickle checkpoint.</summary>
    public static void ThrowIfPickleName(string path)
    {
        if (HasPickleExtension(path))
            throw new PickleCheckpointException(path, RefusalMessage(path));
    }
}

/// <summary>A pickle checkpoint was given where a safetensors file is needed.</summary>
public sealed class PickleCheckpointException(string path, string message) : Exception(message)
{
    /// <summary>The refused file.</summary>
    public string FilePath { get; } = path;
}
