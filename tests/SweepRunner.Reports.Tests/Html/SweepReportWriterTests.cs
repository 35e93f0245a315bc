using System.Text.Json;
using System.Text.RegularExpressions;
using SweepRunner.Core.Results;
using SweepRunner.Core.Scoring;
using SweepRunner.Reports.Html;
using SweepRunner.Reports.Tests.Support;

namespace SweepRunner.Reports.Tests.Html;

public sealed partial class SweepReportWriterTests
{
    private static readonly DateTimeOffset GeneratedAt = new(2025, 3, 2, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task The_report_folder_holds_index_previews_charts_grids_and_data_with_only_relative_links_that_resolve()
    {
        using var folder = new TemporaryFolder();
        var results = Path.Combine(folder.Path, "results");
        var store = await StudyStore.CreateAsync(results);
        var data = await store.GetSweepReportDataAsync(StudyStore.SweepName);
        var steps = new List<string>();

        var report = SweepReportWriter.Write(data, results, Path.Combine(folder.Path, "report"), GeneratedAt, new InlineProgress(steps.Add));

        var root = report.Folder;
        Assert.True(File.Exists(Path.Combine(root, "index.html")));
        Assert.All(report.Files, file => Assert.True(File.Exists(Path.Combine(root, file)), $"{file} is listed but missing"));
        Assert.Contains("data.csv", report.Files);
        Assert.Equal(6, JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "data.json"))).RootElement.GetProperty("jobs").GetArrayLength());
        // One grid per varied setting: the baseline has previews, so even untrained and failed jobs get a row of blank cells.
        Assert.Equal(
            ["grids/learning-rate-optimizer-type.png", "grids/network-alpha.png", "grids/network-dim.png", "grids/train-batch-size.png"],
            report.Files.Where(file => file.StartsWith("grids/")).Order());
        Assert.Equal(
            ["charts/learning-rate-optimizer-type-loss", "charts/learning-rate-optimizer-type-scores", "charts/network-alpha-loss", "charts/network-alpha-scores",
             "charts/network-dim-loss", "charts/network-dim-scores", "charts/score-vs-time", "charts/summary-effects", "charts/time-vs-steps",
             "charts/train-batch-size-loss", "charts/train-batch-size-scores"],
            report.Files.Where(file => file.EndsWith(".png") && file.StartsWith("charts/")).Select(file => file[..^4]).Order());
        Assert.Equal(report.Files.Count(file => file.StartsWith("charts/") && file.EndsWith(".png")), report.Files.Count(file => file.StartsWith("charts/") && file.EndsWith(".svg")));
        // Previews of prompt 0 at every epoch and of every prompt at the final epoch: 3 jobs × 3 + the diverged job's 2.
        Assert.Equal(11, report.Files.Count(file => file.StartsWith("images/")));
        Assert.Empty(Directory.GetFiles(root, "*.tmp", SearchOption.AllDirectories));
        Assert.NotEmpty(steps);

        var html = File.ReadAllText(Path.Combine(root, "index.html"));
        var links = LinkPattern().Matches(html).Select(match => match.Groups[1].Value).ToList();
        Assert.NotEmpty(links);
        foreach (var link in links.Where(link => !link.StartsWith('#')))
        {
            Assert.DoesNotContain(":", link);
            Assert.False(link.StartsWith('/'), link);
            Assert.True(File.Exists(Path.Combine(root, Uri.UnescapeDataString(link))), $"index.html links to {link}, which is not in the report");
        }

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("network_alpha", html);
        Assert.Contains("training diverged at step 23: loss is NaN", html);
        Assert.Contains("out of memory: batch of 8 at 64&#215;64 &amp; &lt;more&gt;", html);
    }

    [Fact]
    public async Task With_a_validation_set_each_setting_charts_the_validation_loss_and_each_job_names_its_best_epoch()
    {
        using var folder = new TemporaryFolder();
        var results = Path.Combine(folder.Path, "results");
        var store = await StudyStore.CreateAsync(results, withValidation: true);
        var data = await store.GetSweepReportDataAsync(StudyStore.SweepName);

        var report = SweepReportWriter.Write(data, results, Path.Combine(folder.Path, "report"), GeneratedAt);

        Assert.Equal(
            ["charts/learning-rate-optimizer-type-validation.png", "charts/network-alpha-validation.png", "charts/network-dim-validation.png", "charts/train-batch-size-validation.png"],
            report.Files.Where(file => file.EndsWith("-validation.png")).Order());
        var html = File.ReadAllText(Path.Combine(report.Folder, "index.html"));
        Assert.Contains("<th>validation loss (best epoch)</th>", html);
        Assert.Contains("0.2500 (best 0.2500 at epoch 2)", html);
        // alpha-1 was best after its first epoch and worse after its last.
        Assert.Contains("0.3300 (best 0.3100 at epoch 1)", html);
        Assert.Contains("a diamond marks each job&#39;s best epoch", html);
        Assert.Equal(1L, data.Jobs.Single(job => job.Label == "alpha-1").BestEpoch);
        // The chart of network_alpha draws the three validated levels (ScottPlot writes one path per curve and marker).
        var svg = File.ReadAllText(Path.Combine(report.Folder, "charts/network-alpha-validation.svg"));
        Assert.Contains("validation loss", svg);
        Assert.DoesNotContain("no validation loss recorded yet", svg);

        // The data files carry the last validation loss, the best epoch and the whole history.
        var alpha1 = JsonDocument.Parse(File.ReadAllText(Path.Combine(report.Folder, "data.json"))).RootElement.GetProperty("jobs").EnumerateArray()
            .Single(job => job.GetProperty("label").GetString() == "alpha-1");
        Assert.Equal(0.33, alpha1.GetProperty("validation_loss").GetDouble());
        Assert.Equal(1, alpha1.GetProperty("best_epoch").GetInt64());
        Assert.Equal([0.31, 0.33], alpha1.GetProperty("validation").EnumerateArray().Select(point => point.GetProperty("loss").GetDouble()));
        var csv = File.ReadAllLines(Path.Combine(report.Folder, "data.csv"));
        var header = csv[0].Split(',');
        var row = csv.Single(line => line.Contains(",alpha-1,", StringComparison.Ordinal)).Split(',');
        Assert.Equal(("0.33", "1"), (row[Array.IndexOf(header, "validation_loss")], row[Array.IndexOf(header, "best_epoch")]));
    }

    [Fact]
    public async Task Automatic_scores_get_verdicts_charts_columns_and_their_agreement_with_the_people()
    {
        using var folder = new TemporaryFolder();
        var results = Path.Combine(folder.Path, "results");
        var store = await StudyStore.CreateAsync(results, withAutoScores: true);
        var data = await store.GetSweepReportDataAsync(StudyStore.SweepName);

        var report = SweepReportWriter.Write(data, results, Path.Combine(folder.Path, "report"), GeneratedAt);

        Assert.Equal(4, report.Files.Count(file => file.EndsWith("-auto-scores.png")));
        var html = File.ReadAllText(Path.Combine(report.Folder, "index.html"));
        Assert.Contains("<h2 id=\"agreement\">Automatic scores against people</h2>", html);
        // Over lion (0), alpha-1 (60), base (85), alpha-64 (86): CLIP-I ranks them alike, DINO as 2, 4, 3, 1 (ρ = 1 − 6·14 / (4·15)).
        Assert.Matches(@"<td>CLIP-I</td><td><code>cccccccccccc</code></td><td>all scorers \(the job's score\)</td><td class=""num"">4</td><td class=""num"">1.00</td>", html);
        Assert.Matches(@"<td>DINO</td><td><code>dddddddddddd</code></td><td>all scorers \(the job's score\)</td><td class=""num"">4</td><td class=""num"">-0.40</td><td class=""num"">-0.\d\d to 0.\d\d</td>", html);
        Assert.Contains("needs 4 or more jobs", html);
        Assert.Contains("<b>By CLIP-I (", html);
        Assert.Contains("CLIP-I: network_alpha = 64 is highest (0.82 ± 0.01 over 2 previews) against the baseline 16 (0.8 ± 0.01 over 2 previews)", System.Net.WebUtility.HtmlDecode(html));
        Assert.Contains("CLIP-I 0.800 · DINO 0.600", html);

        var csv = File.ReadAllLines(Path.Combine(report.Folder, "data.csv"));
        var header = csv[0].Split(',');
        var baseRow = csv.Single(line => line.Contains(",base,", StringComparison.Ordinal)).Split(',');
        Assert.Equal(("0.8", "0.6"), (baseRow[Array.IndexOf(header, "auto:clip-i")], baseRow[Array.IndexOf(header, "auto:dino")]));
        var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(report.Folder, "data.json"))).RootElement.GetProperty("jobs").EnumerateArray()
            .Single(job => job.GetProperty("label").GetString() == "base").GetProperty("auto_scores");
        Assert.Equal([("clip-i", 0.8, 2), ("dino", 0.6, 2)],
            json.EnumerateArray().Select(score => (score.GetProperty("metric").GetString(), score.GetProperty("mean").GetDouble(), score.GetProperty("previews").GetInt32())));
    }

    [Fact]
    public async Task Text_from_users_shows_as_text()
    {
        using var folder = new TemporaryFolder();
        var results = Path.Combine(folder.Path, "results");
        var store = await StudyStore.CreateAsync(results);
        var report = SweepReportWriter.Write(await store.GetSweepReportDataAsync(StudyStore.SweepName), results, Path.Combine(folder.Path, "r"), GeneratedAt);

        var html = File.ReadAllText(report.IndexPath);

        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.DoesNotContain(StudyStore.ScriptNote, html);
        Assert.Contains("&lt;i&gt;lion&lt;/i&gt;", html);
        Assert.DoesNotContain("<i>lion</i>", html);
        Assert.Contains("sks person &lt;on&gt; a &quot;beach&quot;", html);
    }

    [Fact]
    public async Task Without_scores_the_report_still_shows_times_losses_and_grids_and_says_so()
    {
        using var folder = new TemporaryFolder();
        var results = Path.Combine(folder.Path, "results");
        var store = await StudyStore.CreateAsync(results, withScores: false);

        var report = SweepReportWriter.Write(await store.GetSweepReportDataAsync(StudyStore.SweepName), results, Path.Combine(folder.Path, "r"), GeneratedAt);

        var html = File.ReadAllText(report.IndexPath);
        Assert.Contains("No scores yet", html);
        Assert.Contains("no scores yet", html);
        Assert.Contains("grids/network-alpha.png", html);
        Assert.Contains("Seconds per step: no fit yet", html);
    }

    [Fact]
    public async Task Pairwise_ratings_appear_in_the_report_beside_the_direct_scores_and_in_its_data_files()
    {
        using var folder = new TemporaryFolder();
        var results = Path.Combine(folder.Path, "results");
        var store = await StudyStore.CreateAsync(results);
        var first = async (string label) => (await store.GetPreviewsAsync(StudyStore.JobId(label))).First(p => p.Image.Epoch == 2 && p.Image.PromptIndex == 0).PreviewId;
        var (baseline, alpha1, alpha64) = (await first("base"), await first("alpha-1"), await first("alpha-64"));
        await store.AddPairwiseChoiceAsync(new PairwiseChoice(alpha64, baseline, alpha64, "alice"));
        await store.AddPairwiseChoiceAsync(new PairwiseChoice(baseline, alpha64, alpha64, "bob"));
        await store.AddPairwiseChoiceAsync(new PairwiseChoice(baseline, alpha1, baseline, "alice"));

        var report = SweepReportWriter.Write(await store.GetSweepReportDataAsync(StudyStore.SweepName), results, Path.Combine(folder.Path, "r"), GeneratedAt);

        var jobIds = new[] { "base", "alpha-1", "alpha-64", "<i>lion</i>", "batch-8", "dim-32" }.Select(StudyStore.JobId).ToList();
        var expected = BradleyTerry.Ratings(jobIds, [(StudyStore.JobId("alpha-64"), StudyStore.JobId("base")), (StudyStore.JobId("alpha-64"), StudyStore.JobId("base")), (StudyStore.JobId("base"), StudyStore.JobId("alpha-1"))]);
        var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(report.Folder, "data.json"))).RootElement.GetProperty("jobs").EnumerateArray()
            .ToDictionary(job => job.GetProperty("label").GetString()!);
        Assert.Equal((expected[StudyStore.JobId("alpha-64")], 2), (json["alpha-64"].GetProperty("pairwise_rating").GetDouble(), json["alpha-64"].GetProperty("pairwise_comparisons").GetInt32()));
        Assert.Equal((expected[StudyStore.JobId("base")], 3), (json["base"].GetProperty("pairwise_rating").GetDouble(), json["base"].GetProperty("pairwise_comparisons").GetInt32()));
        Assert.Equal(JsonValueKind.Null, json["dim-32"].GetProperty("pairwise_rating").ValueKind);
        var csvHeader = File.ReadLines(Path.Combine(report.Folder, "data.csv")).First().Split(',');
        Assert.Contains("pairwise_rating", csvHeader);
        Assert.Contains("pairwise_comparisons", csvHeader);
        var bounds = BradleyTerry.Fit(jobIds, [new PairComparison<string>(StudyStore.JobId("alpha-64"), StudyStore.JobId("base"), false),
            new PairComparison<string>(StudyStore.JobId("alpha-64"), StudyStore.JobId("base"), false), new PairComparison<string>(StudyStore.JobId("base"), StudyStore.JobId("alpha-1"), false)])[StudyStore.JobId("alpha-64")];
        Assert.Equal((bounds.Low, bounds.High), (json["alpha-64"].GetProperty("pairwise_low").GetDouble(), json["alpha-64"].GetProperty("pairwise_high").GetDouble()));
        Assert.Equal(JsonValueKind.Null, json["dim-32"].GetProperty("pairwise_high").ValueKind);
        Assert.Equal(csvHeader.ToList().IndexOf("pairwise_rating") + 1, csvHeader.ToList().IndexOf("pairwise_low"));

        var html = File.ReadAllText(report.IndexPath);
        var section = html[html.IndexOf("<h3 id=\"pairwise\">Pairwise ratings</h3>", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("</table>", StringComparison.Ordinal)];
        var rows = TableRow().Matches(section).Select(match => match.Groups[1].Value).Where(row => row.StartsWith("<td", StringComparison.Ordinal)).ToList();
        // Highest rating first, with its comparisons and the direct score (mean ± SE, n) beside it.
        Assert.Equal(["alpha-64 (network_alpha=64)", "base (baseline)", "alpha-1 (network_alpha=1)"], rows.Select(row => CellOf(row, 0)));
        var interval = BradleyTerry.Fit(jobIds, [new PairComparison<string>(StudyStore.JobId("alpha-64"), StudyStore.JobId("base"), false),
            new PairComparison<string>(StudyStore.JobId("alpha-64"), StudyStore.JobId("base"), false), new PairComparison<string>(StudyStore.JobId("base"), StudyStore.JobId("alpha-1"), false)])[StudyStore.JobId("alpha-64")];
        var intervalText = $"{Rounded(interval.Low)}–{Rounded(interval.High)}";
        Assert.Equal([Rounded(expected[StudyStore.JobId("alpha-64")]), intervalText, "2", "86.0 ± 1.2", "3"], Enumerable.Range(1, 5).Select(cell => CellOf(rows[0], cell)));
        Assert.Contains($"{Rounded(expected[StudyStore.JobId("alpha-64")])} [{intervalText}] (2)", html, StringComparison.Ordinal); // the setting's score table
    }

    private static string Rounded(double value) => value.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);

    private static string CellOf(string row, int index) => CellPattern().Matches(row)[index].Groups[1].Value;

    [GeneratedRegex("<tr>(.*?)</tr>")]
    private static partial Regex TableRow();

    [GeneratedRegex("<td[^>]*>(.*?)</td>")]
    private static partial Regex CellPattern();

    [GeneratedRegex("(?:src|href)=\"([^\"]*)\"")]
    private static partial Regex LinkPattern();

    private sealed class InlineProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
