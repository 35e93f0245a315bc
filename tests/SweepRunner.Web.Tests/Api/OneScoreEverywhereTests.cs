using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using SweepRunner.Core.Results;
using SweepRunner.Reports.Export;
using SweepRunner.Reports.Html;
using SweepRunner.Web.Tests.Support;

namespace SweepRunner.Web.Tests.Api;

/// <summary>
/// A job's score is one number: the scoring page's ratings, the report (its analysis and data files) and the CSV
/// export agree, for preview scores on several epochs, scores given as with 'sweeprunner score' and pairwise choices.
/// </summary>
public sealed class OneScoreEverywhereTests
{
    [Fact]
    public async Task The_page_the_report_and_the_export_give_each_job_the_same_score_and_pairwise_rating()
    {
        await using var running = await RunningServer.StartAsync();
        var store = running.Results.Store;
        var ids = running.Results.PreviewIds; // per job: epoch 1 prompt 0, epoch 1 prompt 1, epoch 2 prompt 0, epoch 2 prompt 1

        // base: previews of both epochs, and a command-line score of the final LoRA: epoch 2 counts.
        await store.AddPreviewScoreAsync(ids["base"][0], new ScoreEntry("alice", 40, Blind: false));
        await store.AddPreviewScoreAsync(ids["base"][1], new ScoreEntry("bob", 50, Blind: true));
        await store.AddPreviewScoreAsync(ids["base"][2], new ScoreEntry("alice", 70, Blind: false));
        await store.AddPreviewScoreAsync(ids["base"][2], new ScoreEntry("alice", 80, Blind: true)); // replaces the 70
        await store.AddPreviewScoreAsync(ids["base"][3], new ScoreEntry("bob", 60, Blind: false));
        // alpha1: epoch 1 only, with a command-line score of epoch 1's LoRA.
        await store.AddPreviewScoreAsync(ids["alpha1"][0], new ScoreEntry("alice", 30, Blind: false));
        await store.AddPreviewScoreAsync(ids["alpha1"][1], new ScoreEntry("bob", 50, Blind: false));
        // lion: a command-line score of the final LoRA only counts; its epoch 1 preview score is shown, not counted.
        await store.AddPreviewScoreAsync(ids["lion"][0], new ScoreEntry("bob", 20, Blind: false));
        await store.AddSweepScoresAsync(ScoringResults.Sweep,
        [
            new LabelledScore("base", new ScoreEntry("carol", 90, Blind: false), Epoch: null, "the command line"),
            new LabelledScore("alpha1", new ScoreEntry("carol", 40, Blind: false), Epoch: 1, "the command line"),
            new LabelledScore("lion", new ScoreEntry("alice", 65, Blind: false), Epoch: null, "the command line"),
        ]);
        await store.AddPairwiseChoiceAsync(new PairwiseChoice(ids["base"][2], ids["alpha1"][2], ids["base"][2], "alice"));
        await store.AddPairwiseChoiceAsync(new PairwiseChoice(ids["alpha1"][3], ids["base"][3], ids["base"][3], "bob"));
        await store.AddPairwiseChoiceAsync(new PairwiseChoice(ids["base"][0], ids["lion"][0], ids["lion"][0], "alice"));

        var expectedMeans = new Dictionary<string, double> { ["base"] = (80 + 60 + 90) / 3.0, ["alpha1"] = (30 + 50 + 40) / 3.0, ["lion"] = 65 };
        var expectedCounts = new Dictionary<string, int> { ["base"] = 3, ["alpha1"] = 3, ["lion"] = 1 };

        // The page's JSON API.
        var ratings = await running.Http.GetFromJsonAsync<JsonElement>($"/api/sweeps/{ScoringResults.Sweep}/ratings");
        var page = ratings.GetProperty("jobs").EnumerateArray().ToDictionary(
            job => job.GetProperty("label").GetString()!,
            job => (Mean: job.GetProperty("directMean").GetDouble(), Count: job.GetProperty("directCount").GetInt32(), Rating: job.GetProperty("pairwiseRating").GetDouble()));

        // The report: its analysis model and its data files.
        var data = await store.GetSweepReportDataAsync(ScoringResults.Sweep);
        var analysis = ReportJob.From(data).ToDictionary(job => job.Label, job => job.Analysis.ScoreSummary);
        var report = SweepReportWriter.Write(data, running.Results.Folder, Path.Combine(running.Results.Folder, "report"), DateTimeOffset.UnixEpoch);
        var reportJson = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(report.Folder, "data.json"))).RootElement
            .GetProperty("jobs").EnumerateArray()
            .ToDictionary(job => job.GetProperty("label").GetString()!, job => (Mean: job.GetProperty("score_overall").GetDouble(), Rating: job.GetProperty("pairwise_rating").GetDouble()));
        var reportCsv = ReadCsv(await File.ReadAllTextAsync(Path.Combine(report.Folder, "data.csv")));

        // The export, as 'sweeprunner export --format csv' writes it.
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        CsvExportWriter.Write(await store.GetSweepExportAsync(ScoringResults.Sweep), writer);
        var export = ReadCsv(writer.ToString());

        foreach (var label in ScoringResults.Labels)
        {
            var mean = expectedMeans[label];
            Assert.Equal(mean, page[label].Mean, precision: 12);
            Assert.Equal(expectedCounts[label], page[label].Count);
            Assert.Equal(mean, analysis[label].Mean!.Value, precision: 12);
            Assert.Equal(expectedCounts[label], analysis[label].N);
            Assert.Equal(mean, reportJson[label].Mean, precision: 12);
            Assert.Equal(mean, Number(reportCsv[label]["score_overall"]), precision: 12);
            Assert.Equal(mean, Number(export[label]["score_overall"]), precision: 12);
            Assert.Equal(expectedCounts[label].ToString(CultureInfo.InvariantCulture), export[label]["score_count"]);

            var rating = page[label].Rating;
            Assert.Equal(rating, reportJson[label].Rating, precision: 12);
            Assert.Equal(rating, Number(reportCsv[label]["pairwise_rating"]), precision: 12);
            Assert.Equal(rating, Number(export[label]["pairwise_rating"]), precision: 12);
        }

        Assert.True(page["base"].Rating > 50 && page["alpha1"].Rating < 50, "base won both its choices against alpha1");
        Assert.Equal(["2", "1", "2"], ScoringResults.Labels.Select(label => export[label]["score_epoch"]));
    }

    private static double Number(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>
    /// The rows of an export by label, each field under the first column of its name (the test jobs' settings hold a
    /// "label" too); the test sweep's fields need no quoting.
    /// </summary>
    private static Dictionary<string, Dictionary<string, string>> ReadCsv(string text)
    {
        var lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        Assert.All(lines, line => Assert.DoesNotContain("\"", line, StringComparison.Ordinal));
        return lines.Skip(1)
            .Select(line =>
            {
                var row = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var (column, field) in header.Zip(line.Split(',')))
                {
                    row.TryAdd(column, field);
                }

                return row;
            })
            .ToDictionary(row => row["label"], StringComparer.Ordinal);
    }
}
