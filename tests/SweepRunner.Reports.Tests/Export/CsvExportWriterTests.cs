using SweepRunner.Reports.Export;

namespace SweepRunner.Reports.Tests.Export;

public sealed class CsvExportWriterTests
{
    [Fact]
    public async Task A_csv_export_parses_back_to_the_same_rows()
    {
        using var folder = new TemporaryFolder();
        var export = await ExportFixture.ExportAsync(folder);
        var path = Path.Combine(folder.Path, "exports", "quoting.csv");

        CsvExportWriter.WriteFile(export, path);

        var text = await File.ReadAllTextAsync(path);
        Assert.Contains("\"dim 8, \"\"fast\"\"\nsecond line\"", text, StringComparison.Ordinal);
        var records = CsvText.Parse(text);
        Assert.Equal(3, records.Count);
        var header = records[0];
        Assert.Equal(CsvExportWriter.FixedColumns, header.Take(CsvExportWriter.FixedColumns.Count));
        Assert.Equal(
            ["score:alice", "score:" + ExportFixture.AwkwardScorer, "caption_dropout_rate", "flip_aug", "learning_rate", "network_alpha", "network_dim", "optimizer_args", "optimizer_type"],
            header.Skip(CsvExportWriter.FixedColumns.Count));
        Assert.All(records, record => Assert.Equal(header.Count, record.Count));

        var trained = header.Zip(records[1]).ToDictionary(cell => cell.First, cell => cell.Second);
        Assert.Equal(("quoting", ExportFixture.AwkwardLabel, "job-dim8", "", "succeeded", "1"), (trained["sweep"], trained["label"], trained["job_id"], trained["duplicate_of"], trained["state"], trained["attempts"]));
        Assert.Equal(("1.5", "30.25", "100", "0.0625"), (trained["load_seconds"], trained["train_seconds"], trained["final_step"], trained["final_loss"]));
        Assert.Equal(("40", "72.5", "56.25"), (trained["score:alice"], trained["score:" + ExportFixture.AwkwardScorer], trained["score_overall"]));
        Assert.Equal((ExportFixture.OptimizerArgs, "true", "", "0.0001", "8"), (trained["optimizer_args"], trained["flip_aug"], trained["caption_dropout_rate"], trained["learning_rate"], trained["network_dim"]));

        var planned = header.Zip(records[2]).ToDictionary(cell => cell.First, cell => cell.Second);
        Assert.Equal(("dim16", "planned", "", "", ""), (planned["label"], planned["state"], planned["train_seconds"], planned["score:alice"], planned["score_overall"]));
        Assert.Equal(("AdamW8bit", "", "16"), (planned["optimizer_type"], planned["optimizer_args"], planned["network_dim"]));
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\r\nlines", "\"two\r\nlines\"")]
    [InlineData("", "")]
    public void Fields_are_quoted_only_when_rfc_4180_needs_it(string value, string written) =>
        Assert.Equal(written, Rfc4180.Field(value));
}
