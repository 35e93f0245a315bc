using System.Text.Json;

namespace SweepRunner.Cli.Output;

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
}
