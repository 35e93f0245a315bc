using SweepRunner.Diffusion.Checkpoints;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Model;

/// <summary>Writes a model as a single-file LDM .safetensors checkpoint that <see cref="ModelLoader"/> reads back.</summary>
public static class SingleFileCheckpoint
{
    /// <summary>
    /// Writes every parameter under its LDM name, in <paramref name="dtype"/> when given (else each parameter's own),
    /// with <paramref name="metadata"/> plus <c>sweeprunner.config</c> when the model's configuration is a named one.
    /// With a dtype conversion the converted copies live until the file is written.
    /// </summary>
    public static SafetensorsWriteResult Save(StableDiffusionModel model, string path, ScalarType? dtype = null,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var allMetadata = new Dictionary<string, string>(metadata ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        if (ModelConfigs.NameOf(model.Config) is { } name)
            allMetadata.TryAdd(ModelConfigs.MetadataKey, name);

        var converted = new List<Tensor>();
        try
        {
            var tensors = model.named_parameters().Select(p =>
            {
                if (dtype is not { } wanted || p.parameter.dtype == wanted)
                    return (p.name, (Tensor)p.parameter);
                var copy = p.parameter.detach().to_type(wanted);
                converted.Add(copy);
                return (p.name, copy);
            }).ToList();
            return SafetensorsWriter.Write(path, tensors, allMetadata);
        }
        finally
        {
            foreach (var tensor in converted) tensor.Dispose();
        }
    }
}
