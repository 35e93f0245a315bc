using System.Text;
using System.Text.Json;

namespace SweepRunner.Core.Settings;

/// <summary>Settings as a JSON object, values in their JSON types, keys in the given order.</summary>
public static class SettingsJson
{
    public static void Write(Utf8JsonWriter json, IEnumerable<KeyValuePair<string, object?>> settings)
    {
        json.WriteStartObject();
        foreach (var (key, value) in settings)
        {
            switch (value)
            {
                case null: json.WriteNull(key); break;
                case long l: json.WriteNumber(key, l); break;
                case double d: json.WriteNumber(key, d); break;
                case bool b: json.WriteBoolean(key, b); break;
                default: json.WriteString(key, value.ToString()); break;
            }
        }
        json.WriteEndObject();
    }

    public static string Serialize(IEnumerable<KeyValuePair<string, object?>> settings)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer)) Write(json, settings);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
