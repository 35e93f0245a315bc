using System.Text.Json;
using SweepRunner.Diffusion.Checkpoints;
using SweepRunner.Diffusion.Modules;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.ImageEncoders;

/// <summary>A model folder in the Hugging Face layout: <c>config.json</c> and <c>model.safetensors</c>.</summary>
internal static class ModelFolder
{
    public static JsonDocument ReadConfig(string folder, string expectedType, string download)
    {
        if (!Directory.Exists(folder))
            throw new ImageEncoderException($"model folder '{folder}' does not exist; download {download} (config.json and model.safetensors) into it.");
        var path = Path.Combine(folder, "config.json");
        if (!File.Exists(path))
            throw new ImageEncoderException($"'{path}' does not exist; the folder needs config.json and model.safetensors of {download}.");
        JsonDocument config;
        try
        {
            config = JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new ImageEncoderException($"'{path}' is not valid JSON (line {e.LineNumber + 1}); download it again.", e);
        }

        var type = config.RootElement.TryGetProperty("model_type", out var t) ? t.GetString() : null;
        if (type != expectedType)
        {
            config.Dispose();
            throw new ImageEncoderException($"'{path}' is a '{type ?? "(no model_type)"}' model, not '{expectedType}'; give the folder of {download}.");
        }

        return config;
    }

    /// <summary>
    /// Loads the weights strictly: every parameter by its real key, no key left over (but those <paramref name="ignored"/>
    /// names, such as buffers the model does not use), every shape right. Tensors are read one at a time, so the peak
    /// is the model plus one tensor. Returns the SHA-256 of the file (lower-case hex), the model's identity.
    /// </summary>
    public static string LoadWeights(nn.Module model, string folder, Func<string, bool> ignored)
    {
        var path = Path.Combine(folder, "model.safetensors");
        if (!File.Exists(path))
            throw new ImageEncoderException($"'{path}' does not exist; download model.safetensors beside config.json (the PyTorch pickle pytorch_model.bin is not read).");
        try
        {
            using var file = SafetensorsFile.Open(path);
            var report = StateDictLoader.Load(model, OneAtATime(file), key => (key, ignored(key) ? KeyDisposition.Ignore : KeyDisposition.Load));
            if (!report.IsComplete)
                throw new ImageEncoderException($"'{path}' does not match the model its config.json describes: {report.Describe()}. Download the model's config.json and model.safetensors together.");
        }
        catch (SafetensorsFormatException e)
        {
            throw new ImageEncoderException($"{e.Message}; download model.safetensors again.", e);
        }

        return FileHash(path);
    }

    static IEnumerable<KeyValuePair<string, Tensor>> OneAtATime(SafetensorsFile file)
    {
        foreach (var entry in file.Entries)
        {
            using var tensor = file.Load(entry.Name, ScalarType.Float32);
            yield return new(entry.Name, tensor);
        }
    }

    static string FileHash(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
    }
}
