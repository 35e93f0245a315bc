using System.Text.Json;
using SweepRunner.Reports.Export;

namespace SweepRunner.Reports.Tests.Export;

public sealed class JsonExportWriterTests
{
    [Fact]
    public async Task A_json_export_parses_back_to_the_same_rows()
    {
        using var folder = new TemporaryFolder();
        var export = await ExportFixture.ExportAsync(folder);
        var path = Path.Combine(folder.Path, "quoting.json");

        JsonExportWriter.WriteFile(export, path);

        using var document = JsonDocument.Parse(await File.ReadAllBytesAsync(path));
        var root = document.RootElement;
        Assert.Equal("quoting", root.GetProperty("sweep").GetString());
        Assert.Equal(export.ExportedAt, root.GetProperty("exportedAt").GetDateTimeOffset());
        var jobs = root.GetProperty("jobs").EnumerateArray().ToList();
        Assert.Equal(2, jobs.Count);

        var trained = jobs[0];
        Assert.Equal((ExportFixture.AwkwardLabel, "job-dim8", "succeeded"), (trained.GetProperty("label").GetString(), trained.GetProperty("jobId").GetString(), trained.GetProperty("state").GetString()));
        Assert.Equal(JsonValueKind.Null, trained.GetProperty("duplicateOf").ValueKind);
        Assert.Equal((100L, 0.0625, 56.25), (trained.GetProperty("finalStep").GetInt64(), trained.GetProperty("finalLoss").GetDouble(), trained.GetProperty("overallScore").GetDouble()));
        Assert.Equal(30.25, trained.GetProperty("timings").GetProperty("trainSeconds").GetDouble());
        var awkwardScore = trained.GetProperty("scores").GetProperty(ExportFixture.AwkwardScorer);
        Assert.Equal((72.5, 1), (awkwardScore.GetProperty("mean").GetDouble(), awkwardScore.GetProperty("count").GetInt32()));
        var settings = trained.GetProperty("settings");
        Assert.Equal(ExportFixture.OptimizerArgs, settings.GetProperty("optimizer_args").GetString());
        Assert.True(settings.GetProperty("flip_aug").GetBoolean());
        Assert.Equal(JsonValueKind.Null, settings.GetProperty("caption_dropout_rate").ValueKind);
        Assert.Equal(8, trained.GetProperty("diff").GetProperty("network_dim").GetInt32());

        var planned = jobs[1];
        Assert.Equal(("dim16", "planned"), (planned.GetProperty("label").GetString(), planned.GetProperty("state").GetString()));
        Assert.Equal(JsonValueKind.Null, planned.GetProperty("timings").ValueKind);
        Assert.Equal(JsonValueKind.Null, planned.GetProperty("finalLoss").ValueKind);
        Assert.Empty(planned.GetProperty("scores").EnumerateObject());
    }
}
