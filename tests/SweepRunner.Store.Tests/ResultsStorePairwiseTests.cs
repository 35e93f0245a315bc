using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using SweepRunner.Core.Scoring;
using SweepRunner.Reports.Export;
using SweepRunner.Store.Errors;
using SweepRunner.Core.Results;
using SweepRunner.Store.Tests.Support;

namespace SweepRunner.Store.Tests;

public sealed class ResultsStorePairwiseTests
{
    [Fact]
    public async Task Choices_are_recorded_with_scorer_time_and_both_jobs()
    {
        using var folder = new TemporaryFolder();
        var clock = ManualTimeProvider.AtSampleDate();
        var store = await ResultsStore.OpenAsync(folder.Path, clock);
        var (dim8, dim16) = await TwoJobsWithPreviewsAsync(store, "dims");

        var first = await store.AddPairwiseChoiceAsync(new PairwiseChoice(dim8, dim16, dim16, "alice"));
        clock.Advance(TimeSpan.FromMinutes(1));
        var second = await store.AddPairwiseChoiceAsync(new PairwiseChoice(dim16, dim8, dim8, "bob"));

        var choices = await store.GetPairwiseChoicesAsync("dims");

        Assert.Equal([first, second], choices.Select(choice => choice.ChoiceId));
        Assert.Equal(("job-dim8", "job-dim16", "job-dim16", "job-dim8"), (choices[0].FirstJobId, choices[0].SecondJobId, choices[0].WinnerJobId, choices[0].LoserJobId));
        Assert.Equal(("bob", clock.GetUtcNow(), "job-dim8"), (choices[1].Scorer, choices[1].ChosenAt, choices[1].WinnerJobId));
    }

    [Fact]
    public async Task Choices_of_another_sweep_are_not_listed()
    {
        using var folder = new TemporaryFolder();
        var store = await ResultsStore.OpenAsync(folder.Path);
        var (dim8, dim16) = await TwoJobsWithPreviewsAsync(store, "dims");
        await store.RegisterSweepAsync(Sweeps.DimSweep("only-dim8", 8));
        await store.AddPairwiseChoiceAsync(new PairwiseChoice(dim8, dim16, dim8, "alice"));

        Assert.Single(await store.GetPairwiseChoicesAsync("dims"));
        Assert.Empty(await store.GetPairwiseChoicesAsync("only-dim8"));
    }

    [Fact]
    public async Task A_choice_outside_the_pair_the_same_preview_twice_or_no_scorer_is_refused()
    {
        using var folder = new TemporaryFolder();
        var store = await ResultsStore.OpenAsync(folder.Path);
        var (dim8, dim16) = await TwoJobsWithPreviewsAsync(store, "dims");

        await Assert.ThrowsAsync<ArgumentException>(() => store.AddPairwiseChoiceAsync(new PairwiseChoice(dim8, dim16, dim16 + 50, "alice")));
        await Assert.ThrowsAsync<ArgumentException>(() => store.AddPairwiseChoiceAsync(new PairwiseChoice(dim8, dim8, dim8, "alice")));
        await Assert.ThrowsAsync<ArgumentException>(() => store.AddPairwiseChoiceAsync(new PairwiseChoice(dim8, dim16, dim8, " ")));

        Assert.Empty(await store.GetPairwiseChoicesAsync("dims"));
    }

    [Fact]
    public async Task A_choice_between_unknown_previews_is_refused_naming_the_database()
    {
        using var folder = new TemporaryFolder();
        var store = await ResultsStore.OpenAsync(folder.Path);
        var (dim8, _) = await TwoJobsWithPreviewsAsync(store, "dims");

        var refusal = await Assert.ThrowsAsync<ResultsStoreException>(() => store.AddPairwiseChoiceAsync(new PairwiseChoice(dim8, 999, 999, "alice")));

        Assert.Contains(folder.DatabasePath, refusal.Message, StringComparison.Ordinal);
        Assert.Contains("999", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_schema_keeps_choices_append_only_and_the_chosen_preview_in_the_pair()
    {
        using var folder = new TemporaryFolder();
        var store = await ResultsStore.OpenAsync(folder.Path);
        var (dim8, dim16) = await TwoJobsWithPreviewsAsync(store, "dims");
        await store.AddPairwiseChoiceAsync(new PairwiseChoice(dim8, dim16, dim8, "alice"));

        var changed = Assert.Throws<SqliteException>(() => RawDatabase.Execute(folder.DatabasePath, "UPDATE pairwise_choices SET chosen_preview_id = second_preview_id;"));
        var deleted = Assert.Throws<SqliteException>(() => RawDatabase.Execute(folder.DatabasePath, "DELETE FROM pairwise_choices;"));
        var outside = Assert.Throws<SqliteException>(() => RawDatabase.Execute(
            folder.DatabasePath,
            "INSERT INTO pairwise_choices (first_preview_id, second_preview_id, chosen_preview_id, scorer, chosen_at) VALUES (@A, @B, @A + @B, 'x', '2025-01-01T00:00:00.0000000Z');",
            new { A = dim8, B = dim16 }));

        Assert.Contains("append-only", changed.Message, StringComparison.Ordinal);
        Assert.Contains("append-only", deleted.Message, StringComparison.Ordinal);
        Assert.Contains("constraint failed", outside.Message, StringComparison.Ordinal);
        Assert.Equal(dim8, Assert.Single(await store.GetPairwiseChoicesAsync("dims")).ChosenPreviewId);
    }

    [Fact]
    public async Task Pairwise_ratings_reach_the_export_and_its_csv_and_json_next_to_the_direct_scores()
    {
        using var folder = new TemporaryFolder();
        var store = await ResultsStore.OpenAsync(folder.Path, ManualTimeProvider.AtSampleDate());
        var (dim8, dim16) = await TwoJobsWithPreviewsAsync(store, "dims");
        await store.RegisterSweepAsync(Sweeps.DimSweep("dims", 8, 16, 32));
        await store.AddPairwiseChoiceAsync(new PairwiseChoice(dim8, dim16, dim8, "alice"));
        await store.AddPairwiseChoiceAsync(new PairwiseChoice(dim16, dim8, dim8, "bob"));
        await store.AddPairwiseChoiceAsync(new PairwiseChoice(dim8, dim16, dim16, "alice"));
        await store.AddPreviewScoreAsync(dim16, new ScoreEntry("alice", 75, Blind: false));

        var export = await store.GetSweepExportAsync("dims");

        var expected = BradleyTerry.Ratings(["job-dim8", "job-dim16", "job-dim32"], [("job-dim8", "job-dim16"), ("job-dim8", "job-dim16"), ("job-dim16", "job-dim8")]);
        Assert.Equal(
            [(expected["job-dim8"], 3), (expected["job-dim16"], 3), ((double?)null, 0)],
            export.Rows.Select(row => (row.Score.Pairwise.Rating, row.Score.Pairwise.Comparisons)));
        Assert.True(expected["job-dim8"] > 50);

        var csvPath = Path.Combine(folder.Path, "dims.csv");
        CsvExportWriter.WriteFile(export, csvPath);
        var records = CsvText.Parse(await File.ReadAllTextAsync(csvPath));
        var rows = records.Skip(1).Select(record => records[0].Zip(record).ToDictionary(cell => cell.First, cell => cell.Second)).ToList();
        Assert.Equal(
            [(expected["job-dim8"].ToString("R", CultureInfo.InvariantCulture), "3", "", "0"), (expected["job-dim16"].ToString("R", CultureInfo.InvariantCulture), "3", "75", "1"), ("", "0", "", "0")],
            rows.Select(row => (row["pairwise_rating"], row["pairwise_comparisons"], row["score_overall"], row["score_count"])));
        Assert.Equal(("1", ""), (rows[1]["score_epoch"], rows[1]["score_se"]));

        var jsonPath = Path.Combine(folder.Path, "dims.json");
        JsonExportWriter.WriteFile(export, jsonPath);
        using var json = JsonDocument.Parse(await File.ReadAllBytesAsync(jsonPath));
        var jobs = json.RootElement.GetProperty("jobs").EnumerateArray().ToList();
        Assert.Equal((expected["job-dim8"], 3), (jobs[0].GetProperty("pairwise_rating").GetDouble(), jobs[0].GetProperty("pairwise_comparisons").GetInt32()));
        Assert.Equal((75.0, 1, 1L), (jobs[1].GetProperty("score_overall").GetDouble(), jobs[1].GetProperty("score_count").GetInt32(), jobs[1].GetProperty("score_epoch").GetInt64()));
        Assert.Equal(JsonValueKind.Null, jobs[2].GetProperty("pairwise_rating").ValueKind);
    }

    private static async Task<(long Dim8, long Dim16)> TwoJobsWithPreviewsAsync(ResultsStore store, string sweep)
    {
        await store.RegisterSweepAsync(Sweeps.DimSweep(sweep, 8, 16));
        var ids = new List<long>();
        foreach (var dim in new[] { 8, 16 })
        {
            var attempt = await store.StartAttemptAsync(new AttemptStart($"job-dim{dim}", "host", 1, "cpu"));
            ids.Add(await store.RecordPreviewAsync(attempt, new PreviewImage(
                1, 0, "a photo of sks person", "", 42, "euler_a", 20, 7, 64, 64,
                new ArtifactFile($"{sweep}/dim{dim}/e1-p0.png", 10, new string('d', 64)))));
        }

        return (ids[0], ids[1]);
    }
}
