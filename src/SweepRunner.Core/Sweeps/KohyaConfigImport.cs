using System.Globalization;
using System.Text.Json;
using SweepRunner.Core.Settings;

namespace SweepRunner.Core.Sweeps;

public sealed class KohyaImportException(string message) : Exception(message);

/// <summary>
/// Reads a kohya_ss GUI config JSON as a sweep's base. Fields map to sd-scripts names; fields SweepRunner
/// does not support are reported (when set to something other than empty/off) instead of dropped silently.
/// </summary>
public static class KohyaConfigImport
{
    public sealed record Result(IReadOnlyDictionary<string, object?> Settings, IReadOnlyList<string> Notes);

    /// <summary>GUI field names that differ from the sd-scripts argument names.</summary>
    static readonly Dictionary<string, string> Renamed = new()
    {
        ["epoch"] = SettingsCatalog.Epochs,
        ["optimizer"] = SettingsCatalog.Optimizer,
        ["max_resolution"] = SettingsCatalog.Resolution,
    };

    /// <summary>GUI fields about the machine or the GUI itself that do not change what is trained.</summary>
    static readonly HashSet<string> NoEffect =
    [
        "cache_latents", "cache_latents_to_disk", "xformers", "mem_eff_attn", "sdpa", "max_data_loader_n_workers",
        "persistent_data_loader_workers", "num_cpu_threads_per_process", "gradient_checkpointing", "vae_batch_size",
        "training_comment", "logging_dir", "output_dir", "train_data_dir", "reg_data_dir", "save_model_as",
        "save_state", "resume", "log_tracker_name", "wandb_api_key", "use_wandb", "sample_every_n_steps",
        "save_every_n_steps", "save_last_n_steps", "save_last_n_steps_state", "lowram", "model_list", "LoRA_type",
    ];

    /// <summary>GUI fields whose usual value means "the sd-scripts default": nothing to report.</summary>
    static readonly Dictionary<string, object> NeutralValues = new()
    {
        ["prior_loss_weight"] = 1.0,
        ["max_token_length"] = 75.0,
        ["LoRA_type"] = "Standard",
    };

    /// <summary>The GUI passes conv_dim/conv_alpha to sd-scripts only for LoCon-type networks.</summary>
    static bool IsLoCon(Dictionary<string, JsonElement> fields) =>
        fields.TryGetValue("LoRA_type", out var type) && type.ValueKind == JsonValueKind.String
        && type.GetString()!.Contains("LoCon", StringComparison.OrdinalIgnoreCase);

    static object? Normalize(object? raw) => raw switch
    {
        long l => (double)l,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => raw,
    };

    public static Result Load(string path)
    {
        if (!File.Exists(path)) throw new KohyaImportException($"kohya config '{path}' not found");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new KohyaImportException($"{path}: not valid JSON (line {e.LineNumber + 1}): {e.Message}");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new KohyaImportException($"{path}: a kohya_ss config must be a JSON object");
            return Import(document.RootElement, Path.GetFileName(path));
        }
    }

    internal static Result Import(JsonElement root, string fileName)
    {
        var settings = new Dictionary<string, object?>(StringComparer.Ordinal);
        var notes = new List<string>();
        // Python's json keeps the last of duplicate keys, and so does the GUI that wrote the file.
        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject()) fields[property.Name] = property.Value;

        foreach (var (field, element) in fields)
        {
            var raw = Raw(element);
            if (field == "max_train_epochs" && IsUnset(raw)) continue;
            if (field == "epoch" && fields.TryGetValue("max_train_epochs", out var explicitEpochs) && !IsUnset(Raw(explicitEpochs))) continue;
            var key = Renamed.GetValueOrDefault(field, field);
            if (key is SettingsCatalog.ConvDim or SettingsCatalog.ConvAlpha && !IsLoCon(fields)) continue;
            if (NeutralValues.TryGetValue(field, out var neutral) && Equals(Normalize(raw), neutral)) continue;
            if (SettingsCatalog.TryGet(key, out var definition) && definition.AffectsTraining)
            {
                // JSON null is unset, as an empty field is: the default applies.
                if (raw is null || (IsUnset(raw) && definition.Type != SettingType.Boolean)) continue;
                settings[key] = raw;
                continue;
            }
            if (field == "LoRA_type" && raw is string type && !type.Contains("LoCon", StringComparison.OrdinalIgnoreCase))
                notes.Add($"{fileName}: LoRA_type '{type}' is not supported (SweepRunner trains standard LoRA, and LoCon through conv_dim); trained as Standard");
            else if (field == "lr_warmup" && !IsOff(raw))
                notes.Add($"{fileName}: lr_warmup {raw}% is a percentage of total steps; set lr_warmup_steps in the sweep instead (not imported)");
            else if (NoEffect.Contains(field) || IsOff(raw))
                continue;
            else
                notes.Add($"{fileName}: field '{field}' = {Show(raw)} is not supported by SweepRunner and was not imported");
        }
        return new Result(settings, notes);
    }

    static object? Raw(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => e.TryGetInt64(out var l) ? l : e.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null => null,
        _ => e.GetRawText(),
    };

    static bool IsUnset(object? raw) => raw is null || raw is string s && s.Trim().Length == 0;

    /// <summary>Empty, zero, false, or the GUI's neutral values: nothing to report.</summary>
    static bool IsOff(object? raw) => raw switch
    {
        null => true,
        bool b => !b,
        long l => l == 0,
        double d => d == 0,
        string s => s.Trim().Length == 0 || s.Trim() is "0" or "0.0" or "false" or "False" or "None",
        _ => false,
    };

    static string Show(object? raw) => raw switch
    {
        string s => $"'{s}'",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        _ => Convert.ToString(raw, CultureInfo.InvariantCulture) ?? "null",
    };
}
