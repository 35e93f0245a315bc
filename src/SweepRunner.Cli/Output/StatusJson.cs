using System.Text.Json;
using System.Text.Json.Serialization;
using SweepRunner.Core.Results;
using SweepRunner.Core.Text;

namespace SweepRunner.Cli.Output;

public static class StatusJson
{
    static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower), new SignificantDigits() },
    };

    /// <summary>Progress, estimates and speeds to 6 significant digits (<see cref="Rounding"/>), not 0.30000000000000004.</summary>
    sealed class SignificantDigits : JsonConverter<double>
    {
        public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDouble();

        public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options) => writer.WriteNumberValue(Rounding.Significant(value));
    }

    public static string Write(IReadOnlyList<SweepStatus> statuses) =>
        JsonSerializer.Serialize(new { sweeps = statuses }, Options);
}
