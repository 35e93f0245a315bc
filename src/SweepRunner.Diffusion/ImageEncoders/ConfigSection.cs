using System.Globalization;
using System.Text.Json;

namespace SweepRunner.Diffusion.ImageEncoders;

/// <summary>
/// One object of a Hugging Face <c>config.json</c>, read as transformers reads it: a field that is absent takes the
/// config class's default (the published files leave out fields equal to the default); a field of the wrong type is an
/// error naming the file, the section and the field.
/// </summary>
internal sealed class ConfigSection(JsonElement element, string source)
{
    /// <summary>The file and section, e.g. <c>'…/config.json' (vision_config)</c>.</summary>
    public string Source { get; } = source;

    public int Int(string name, int fallback)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return fallback;
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n)
            ? n
            : throw Wrong(name, "a whole number", value);
    }

    public double Double(string name, double fallback)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return fallback;
        return value.ValueKind == JsonValueKind.Number ? value.GetDouble() : throw Wrong(name, "a number", value);
    }

    public bool Bool(string name, bool fallback)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return fallback;
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Wrong(name, "true or false", value),
        };
    }

    public string String(string name, string fallback)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return fallback;
        return value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Wrong(name, "a string", value);
    }

    /// <summary>
    /// A nested config such as CLIP's <c>vision_config</c>. Older CLIP files also carry <c>vision_config_dict</c>;
    /// transformers builds the section from that one (over the class defaults) when it is present, so this does too.
    /// </summary>
    public ConfigSection Section(string name)
    {
        foreach (var key in new[] { name + "_dict", name })
        {
            if (element.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.Object)
                return new ConfigSection(value, $"{Source} ({key})");
        }

        throw new ImageEncoderException($"{Source}: '{name}' is missing; download the model's own config.json.");
    }

    ImageEncoderException Wrong(string name, string expected, JsonElement value) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{Source}: '{name}' is {value.GetRawText()}, expected {expected}; download the model's own config.json."));
}
