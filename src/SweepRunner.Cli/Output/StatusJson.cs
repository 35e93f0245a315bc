using System.Text.Json;
using System.Text.Json.Serialization;
using SweepRunner.Core.Results;

namespace SweepRunner.Cli.Output;

public static class StatusJson
{
    static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public static string Write(IReadOnlyList<SweepStatus> statuses) =>
        JsonSerializer.Serialize(new { sweeps = statuses }, Options);
}
