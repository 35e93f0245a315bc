using System.Globalization;
using System.Text.Json;
using SweepRunner.Core.Settings;

namespace SweepRunner.Core.Sweeps;

/// <summary>A kohya_ss config that cannot be imported; <see cref="Fix"/> says what to do.</summary>
public sealed class KohyaImportException(string message, string fix) : Exception(message)
{
    public string Fix { get; } = fix;
}

/// <summary>
/// Reads a kohya_ss GUI config JSON as a sweep's base. Fields map to sd-scripts names; fields SweepRunner
/// does not support are reported (when set to something other than the GUI's untouched value) instead of dropped
/// silently; a config for another model family than SD 1.x is refused.
/// </summary>
public static class KohyaConfigImport
{
    /// <param name="TrainDataDir">The GUI's train_data_dir as written, or null when it is empty.</param>
    /// <param name="Prompts">The preview prompts written into the config itself, or null.</param>
    public sealed record Result(IReadOnlyDictionary<string, object?> Settings, IReadOnlyList<string> Notes, string? TrainDataDir = null,
        ImportedPrompts? Prompts = null);

    const string FixFile = "Check the file path (relative to the sweep file) and that it is a kohya_ss GUI config";

    /// <summary>The GUI passes conv_dim/conv_alpha to sd-scripts only for LoCon-type networks.</summary>
    static bool IsLoCon(Dictionary<string, JsonElement> fields) =>
        fields.TryGetValue("LoRA_type", out var type) && type.ValueKind == JsonValueKind.String
        && type.GetString()!.Contains("LoCon", StringComparison.OrdinalIgnoreCase);

    static string? Text(Dictionary<string, JsonElement> fields, string field) =>
        fields.TryGetValue(field, out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;

    static object? Normalize(object? raw) => raw switch
    {
        long l => (double)l,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => raw,
    };

    /// <summary>Reads the config at <paramref name="path"/>; a sample_prompts path is looked for relative to <paramref name="sweepDirectory"/> (default: the config's folder).</summary>
    public static Result Load(string path, string? sweepDirectory = null)
    {
        if (!File.Exists(path)) throw new KohyaImportException($"kohya config '{path}' not found", FixFile);
        // Read as text first: bytes that are not UTF-8 become U+FFFD, as everywhere else a file is read.
        var bytes = System.Text.Encoding.UTF8.GetBytes(File.ReadAllText(path));
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes);
        }
        catch (JsonException)
        {
            var error = JsonSyntaxError.Find(bytes);
            var where = error is null ? path : $"{path}:{error.Line}:{error.Column}";
            throw new KohyaImportException($"{where}: {error?.Problem ?? "not valid JSON"}", "Fix the JSON at that place (a kohya_ss GUI config is one JSON object)");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new KohyaImportException($"{path}: a kohya_ss config must be a JSON object", FixFile);
            return Import(document.RootElement, Path.GetFileName(path), sweepDirectory ?? Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".");
        }
    }

    internal static Result Import(JsonElement root, string fileName, string sweepDirectory)
    {
        var settings = new Dictionary<string, object?>(StringComparer.Ordinal);
        var notes = new List<string>();
        // Python's json keeps the last of duplicate keys, and so does the GUI that wrote the file.
        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject()) fields[property.Name] = property.Value;
        RefuseOtherFamilies(fields, fileName);

        var noiseType = Text(fields, "noise_offset_type") ?? "Original";
        var lossType = Text(fields, "loss_type") ?? "l2";
        var networkType = Text(fields, "LoRA_type") ?? "Standard";
        var lycoris = networkType.Contains("LyCORIS", StringComparison.OrdinalIgnoreCase) || networkType.Contains("DyLoRA", StringComparison.OrdinalIgnoreCase);
        string? trainDataDir = null;
        ImportedPrompts? prompts = null;
        foreach (var (field, element) in fields)
        {
            var raw = Raw(element);
            if (field == "max_train_epochs" && IsOff(raw)) continue;
            if (field == "epoch" && fields.TryGetValue("max_train_epochs", out var explicitEpochs) && !IsOff(Raw(explicitEpochs))) continue;
            if (KohyaGuiFields.IsOtherFamilyField(field)) continue;
            if (KohyaGuiFields.MultiresOnly.Contains(field) && noiseType != "Multires") continue;
            if (KohyaGuiFields.OriginalNoiseOnly.Contains(field) && noiseType != "Original") continue;
            if (KohyaGuiFields.HuberOnly.Contains(field) && lossType == "l2") continue;
            if (KohyaGuiFields.LycorisOnly.Contains(field) && !lycoris) continue;
            if (field == "train_data_dir")
            {
                if (!IsUnset(raw)) trainDataDir = Convert.ToString(raw, CultureInfo.InvariantCulture);
                continue;
            }
            if (field == SettingsCatalog.SamplePrompts && raw is string promptValue && !IsUnset(promptValue) && IsPromptText(promptValue, sweepDirectory))
            {
                prompts = new ImportedPrompts($"{fileName} ({SettingsCatalog.SamplePrompts})", promptValue);
                settings[SettingsCatalog.SamplePrompts] = promptValue;
                continue;
            }
            var key = KohyaGuiFields.Renamed.GetValueOrDefault(field, field);
            if (key is SettingsCatalog.ConvDim or SettingsCatalog.ConvAlpha && !IsLoCon(fields)) continue;
            if (KohyaGuiFields.GuiDefaults.TryGetValue(field, out var untouched) && Equals(Normalize(raw), untouched)) continue;
            if (SettingsCatalog.TryGet(key, out var definition))
            {
                // JSON null is unset, as an empty field is: the default applies. The GUI writes 0 for "every N epochs" left off.
                if (raw is null || (IsUnset(raw) && definition.Type != SettingType.Boolean)) continue;
                if (definition.Default is null && definition.Min >= 1 && IsOff(raw)) continue;
                settings[key] = raw;
                continue;
            }
            if (field == "LoRA_type" && raw is string type && !type.Contains("LoCon", StringComparison.OrdinalIgnoreCase))
                notes.Add($"{fileName}: LoRA_type '{type}' is not supported (SweepRunner trains standard LoRA, and LoCon through conv_dim); trained as Standard");
            else if (field == "lr_warmup" && !IsOff(raw))
                notes.Add($"{fileName}: lr_warmup {raw}% is a percentage of total steps; set lr_warmup_steps in the sweep instead (not imported)");
            else if (KohyaGuiFields.NoEffect.Contains(field) || IsOff(raw))
                continue;
            else
                notes.Add($"{fileName}: field '{field}' = {Show(raw)} is not supported by SweepRunner and was not imported");
        }
        return new Result(settings, notes, trainDataDir, prompts);
    }

    /// <summary>
    /// The GUI stores the prompt text itself in sample_prompts; sd-scripts reads a file there. A one-line value that names
    /// an existing file (absolute, or relative to the sweep file) is that file; any other value is the prompts.
    /// </summary>
    static bool IsPromptText(string value, string sweepDirectory)
    {
        if (value.Contains('\n', StringComparison.Ordinal) || value.Contains('\0', StringComparison.Ordinal)) return true;
        try
        {
            return !File.Exists(Path.Combine(sweepDirectory, value.Trim()));
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    static void RefuseOtherFamilies(Dictionary<string, JsonElement> fields, string fileName)
    {
        const string Fix = "SweepRunner trains SD 1.x LoRAs only: export the config from the GUI for an SD 1.x model (v2, v_parameterization, sdxl and fp8_base off)";
        foreach (var (field, means) in KohyaGuiFields.RefusedWhenTrue)
            if (fields.TryGetValue(field, out var value) && value.ValueKind == JsonValueKind.True)
                throw new KohyaImportException($"{fileName}: '{field}' is true: the config trains {means}, which SweepRunner cannot train", Fix);
        if (Text(fields, "LoRA_type") is { } type && type.Contains("SDXL", StringComparison.OrdinalIgnoreCase))
            throw new KohyaImportException($"{fileName}: 'LoRA_type' is '{type}': the config trains an SDXL LoRA, which SweepRunner cannot train", Fix);
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
