using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SweepRunner.Core.Settings;
using SweepRunner.Diffusion.Checkpoints;
using static TorchSharp.torch;

namespace SweepRunner.Training.Trainer;

/// <summary>Where a paused run stands: written into the state file's metadata as JSON. <see cref="PrefixKey"/> lets a longer job continue a finished one.</summary>
public sealed record TrainingPosition(
    string SettingsHash,
    long Step,
    long ScheduleStep,
    int Epoch,
    int NextBatch,
    double LossScale,
    int GoodSteps,
    long SkippedSteps,
    long StartedAtUnixMilliseconds,
    double EpochLossSum,
    long EpochLossCount,
    IReadOnlyList<double> EpochLosses,
    string? PrefixKey = null);

/// <summary>
/// A resumable training state in one atomic safetensors file: the LoRA weights (<c>lora/…</c>, float32), the
/// optimizer's state (<c>optimizer/…</c>), the torch generator states (<c>rng/…</c>) and the position (step, epoch,
/// batch within the epoch's order, loss scaler) as JSON under the metadata key <see cref="MetadataKey"/>. The data
/// order needs no state of its own: it is derived from the seed and the position.
/// </summary>
public static class TrainingState
{
    public const string MetadataKey = "sweeprunner_training_state";

    /// <summary>A hash of the settings that change training, so a state is resumed only by the job that wrote it.</summary>
    public static string SettingsHash(IReadOnlyDictionary<string, object?> settings)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in settings.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (SettingsCatalog.TryGet(key, out var definition) && !definition.AffectsTraining) continue;
            text.Append(key).Append('=').Append(SettingFormat.Format(value)).Append('\n');
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    public static void Save(string path, TrainingPosition position, IEnumerable<(string Name, Tensor Tensor)> lora,
        IReadOnlyDictionary<string, Tensor> optimizer, IReadOnlyDictionary<string, Tensor> generators)
    {
        var tensors = lora.Select(t => ("lora/" + t.Name, t.Tensor))
            .Concat(optimizer.Select(p => ("optimizer/" + p.Key, p.Value)))
            .Concat(generators.Select(p => ("rng/" + p.Key, p.Value)))
            .ToList();
        SafetensorsWriter.Write(path, tensors, new Dictionary<string, string> { [MetadataKey] = JsonSerializer.Serialize(position) });
    }

    /// <summary>The position of a state file without loading its tensors.</summary>
    public static TrainingPosition ReadPosition(string path)
    {
        using var file = SafetensorsFile.Open(path);
        if (!file.Metadata.TryGetValue(MetadataKey, out var json))
            throw new InvalidDataException($"'{path}' is not a SweepRunner training state (no '{MetadataKey}' metadata).");
        return JsonSerializer.Deserialize<TrainingPosition>(json)
            ?? throw new InvalidDataException($"'{path}': the training state metadata is empty.");
    }

    /// <summary>Reads a state file: the position and its tensors by group (the caller owns and disposes the tensors).</summary>
    public static (TrainingPosition Position, Dictionary<string, Tensor> Lora, Dictionary<string, Tensor> Optimizer, Dictionary<string, Tensor> Generators) Load(string path)
    {
        using var file = SafetensorsFile.Open(path);
        if (!file.Metadata.TryGetValue(MetadataKey, out var json))
            throw new InvalidDataException($"'{path}' is not a SweepRunner training state (no '{MetadataKey}' metadata).");
        var position = JsonSerializer.Deserialize<TrainingPosition>(json)
            ?? throw new InvalidDataException($"'{path}': the training state metadata is empty.");
        var lora = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var optimizer = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var generators = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var entry in file.Entries)
        {
            var slash = entry.Name.IndexOf('/');
            var group = slash < 0 ? "" : entry.Name[..slash];
            var target = group switch
            {
                "lora" => lora,
                "optimizer" => optimizer,
                "rng" => generators,
                _ => throw new InvalidDataException($"'{path}': unexpected tensor '{entry.Name}' in a training state."),
            };
            var loaded = file.Load(entry.Name);
            loaded.DetachFromDisposeScope();
            target[entry.Name[(slash + 1)..]] = loaded;
        }
        return (position, lora, optimizer, generators);
    }
}
