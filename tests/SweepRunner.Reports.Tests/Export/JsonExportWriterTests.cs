using System.Text.Json;
using SweepRunner.Core.Results;
using SweepRunner.Core.Scoring;
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
        Assert.Equal(export.ExportedAt, root.GetProperty("exported_at").GetDateTimeOffset());
        var jobs = root.GetProperty("jobs").EnumerateArray().ToList();
        Assert.Equal(2, jobs.Count);

        var trained = jobs[0];
        Assert.Equal((ExportFixture.AwkwardLabel, "job-dim8", "succeeded"), (trained.GetProperty("label").GetString(), trained.GetProperty("job_id").GetString(), trained.GetProperty("state").GetString()));
        Assert.Equal(JsonValueKind.Null, trained.GetProperty("duplicate_of").ValueKind);
        Assert.Equal((100L, 0.0625, 56.25), (trained.GetProperty("final_step").GetInt64(), trained.GetProperty("final_loss").GetDouble(), trained.GetProperty("score_overall").GetDouble()));
        Assert.Equal(30.25, trained.GetProperty("timings").GetProperty("train_seconds").GetDouble());
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
        Assert.Equal(JsonValueKind.Null, planned.GetProperty("final_loss").ValueKind);
        Assert.Empty(planned.GetProperty("scores").EnumerateObject());
    }

    [Fact]
    public void Keys_are_snake_case_as_the_csv_columns_and_numbers_are_rounded()
    {
        var row = new ExportRow("a", "job-a", null, JobState.Diverged, "{}", "{}", 4, 40, 0.1 + 0.2, 1,
            new PhaseTimings(0.1 + 0.2, 1.0 / 3, 12.345678, 0, 2.0 / 3), 7, 0.123456789012, JobScore.None);
        using var buffer = new MemoryStream();
        JsonExportWriter.Write(new SweepExport("s", DateTimeOffset.UnixEpoch, [row]), buffer);
        var text = System.Text.Encoding.UTF8.GetString(buffer.ToArray());
        using var document = JsonDocument.Parse(text);
        var job = document.RootElement.GetProperty("jobs")[0];

        Assert.DoesNotMatch("\"[a-z]+[A-Z][A-Za-z]*\":", text);
        Assert.Equal(0.3, job.GetProperty("estimated_seconds").GetDouble());
        Assert.Contains("\"estimated_seconds\": 0.3,", text);
        Assert.Equal(0.33, job.GetProperty("timings").GetProperty("cache_seconds").GetDouble());
        Assert.Equal(12.35, job.GetProperty("timings").GetProperty("train_seconds").GetDouble());
        Assert.Equal(0.123457, job.GetProperty("final_loss").GetDouble());
        Assert.Equal(7, job.GetProperty("final_step").GetInt64());

        var csv = new StringWriter();
        CsvExportWriter.Write(new SweepExport("s", DateTimeOffset.UnixEpoch, [row]), csv);
        Assert.Contains(",4,40,0.3,0.3,0.33,12.35,0,0.67,7,0.123457,", csv.ToString());
    }
}
