using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SweepRunner.Core.Results;
using SweepRunner.Web.Tests.Support;

namespace SweepRunner.Web.Tests.Api;

public sealed class ScoringApiTests
{
    [Fact]
    public async Task The_gallery_titles_jobs_by_their_diff_and_names_the_baseline()
    {
        await using var running = await RunningServer.StartAsync();

        var gallery = await GetJsonAsync(running, "/api/sweeps/demo/gallery?scorer=alice");

        Assert.Equal("base", gallery.GetProperty("baselineLabel").GetString());
        var jobs = gallery.GetProperty("jobs").EnumerateArray().ToList();
        Assert.Equal(["base", "alpha1", "lion"], jobs.Select(job => job.GetProperty("label").GetString()));
        Assert.Equal(["baseline", "network_alpha=1", "optimizer_type=Lion, learning_rate=0.0001"], jobs.Select(job => job.GetProperty("title").GetString()));
        var previews = jobs[1].GetProperty("previews").EnumerateArray().ToList();
        Assert.Equal(4, previews.Count);
        Assert.Equal($"/images/{running.Results.PreviewIds["alpha1"][0]}", previews[0].GetProperty("url").GetString());
        Assert.DoesNotContain("sample", gallery.GetRawText(), StringComparison.Ordinal); // no file paths leave the server
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(100.5)]
    [InlineData(1000)]
    public async Task A_score_outside_0_to_100_is_refused_with_400_and_saves_nothing(double value)
    {
        await using var running = await RunningServer.StartAsync();
        var id = running.Results.PreviewIds["base"][0];

        var response = await running.Http.PostAsync("/api/sweeps/demo/scores", JsonBody.Of(new { previewId = id, scorer = "alice", value, blind = false }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("0 to 100", await ErrorAsync(response), StringComparison.Ordinal);
        Assert.Empty(running.Results.Query<long>("SELECT id FROM scores;"));
    }

    [Fact]
    public async Task Unknown_previews_missing_names_and_bad_bodies_are_refused_with_a_reason()
    {
        await using var running = await RunningServer.StartAsync();
        var id = running.Results.PreviewIds["base"][0];

        var unknown = await running.Http.PostAsync("/api/sweeps/demo/scores", JsonBody.Of(new { previewId = 424242, scorer = "alice", value = 50, blind = false }));
        var nameless = await running.Http.PostAsync("/api/sweeps/demo/scores", JsonBody.Of(new { previewId = id, scorer = " ", value = 50, blind = false }));
        var notJson = await running.Http.PostAsync("/api/sweeps/demo/scores", new StringContent("{not json", Encoding.UTF8, "application/json"));
        var unknownSweep = await running.Http.GetAsync("/api/sweeps/nope/gallery");

        Assert.Contains("no preview with id 424242", await ErrorAsync(unknown), StringComparison.Ordinal);
        Assert.Contains("scorer", await ErrorAsync(nameless), StringComparison.Ordinal);
        Assert.Contains("not valid JSON", await ErrorAsync(notJson), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknownSweep.StatusCode);
        Assert.Contains("no sweep named 'nope'", await ErrorAsync(unknownSweep), StringComparison.Ordinal);
        Assert.Empty(running.Results.Query<long>("SELECT id FROM scores;"));
    }

    [Fact]
    public async Task A_score_is_saved_with_its_note_and_answers_with_the_job_it_belongs_to()
    {
        await using var running = await RunningServer.StartAsync();
        var id = running.Results.PreviewIds["lion"][1];

        var response = await running.Http.PostAsync("/api/sweeps/demo/scores", JsonBody.Of(new { previewId = id, scorer = "alice", value = 80, blind = true, note = "sharp face" }));

        response.EnsureSuccessStatusCode();
        var saved = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("lion", "optimizer_type=Lion, learning_rate=0.0001"), (saved.GetProperty("label").GetString(), saved.GetProperty("title").GetString()));
        var latest = Assert.Single(await running.Results.Store.GetLatestScoresAsync(ScoringResults.JobId("lion")));
        Assert.Equal((id, "alice", 80.0, true, "sharp face"), ((long)latest.PreviewId!, latest.Scorer, latest.Value, latest.Blind, latest.Note));
    }

    [Fact]
    public async Task The_blind_queue_hides_jobs_until_the_scorer_has_scored_them_blind()
    {
        await using var running = await RunningServer.StartAsync();
        var id = running.Results.PreviewIds["alpha1"][2];
        await running.Results.Store.AddPreviewScoreAsync(id, new ScoreEntry("alice", 60, Blind: true));
        await running.Results.Store.AddPreviewScoreAsync(running.Results.PreviewIds["base"][0], new ScoreEntry("alice", 60, Blind: false));

        var queue = await GetJsonAsync(running, "/api/sweeps/demo/blind?scorer=alice");
        var again = await GetJsonAsync(running, "/api/sweeps/demo/blind?scorer=alice");
        var bob = await GetJsonAsync(running, "/api/sweeps/demo/blind?scorer=bob");

        var items = queue.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(12, items.Count);
        var labelled = Assert.Single(items, item => item.GetProperty("label").ValueKind == JsonValueKind.String);
        Assert.Equal((id, "alpha1", 60.0), (labelled.GetProperty("id").GetInt64(), labelled.GetProperty("label").GetString(), labelled.GetProperty("myScore").GetDouble()));
        Assert.Equal(Ids(queue), Ids(again));
        Assert.NotEqual(Ids(queue), Ids(bob));
        Assert.NotEqual(Ids(queue), Ids(queue).Order().ToList());
        Assert.DoesNotContain("lion", queue.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Automatic_scores_show_beside_each_preview_and_in_blind_mode_only_once_scored()
    {
        await using var running = await RunningServer.StartAsync();
        var scored = running.Results.PreviewIds["alpha1"][2];
        var unscored = running.Results.PreviewIds["alpha1"][3];
        await running.Results.Store.RecordAutoScoresAsync([
            new AutoScore(scored, SweepRunner.Core.Scoring.AutoMetric.ClipI, new string('c', 64), 0.8123456789),
            new AutoScore(scored, SweepRunner.Core.Scoring.AutoMetric.ClipT, new string('c', 64), 0.31),
            new AutoScore(unscored, SweepRunner.Core.Scoring.AutoMetric.Dino, new string('d', 64), 0.5)]);
        await running.Results.Store.AddPreviewScoreAsync(scored, new ScoreEntry("alice", 60, Blind: true));

        var gallery = await GetJsonAsync(running, "/api/sweeps/demo/gallery?scorer=alice");
        var previews = gallery.GetProperty("jobs").EnumerateArray().Single(job => job.GetProperty("label").GetString() == "alpha1")
            .GetProperty("previews").EnumerateArray().ToDictionary(p => p.GetProperty("id").GetInt64());
        Assert.Equal([("CLIP-I", "cccccccc", 0.812346), ("CLIP-T", "cccccccc", 0.31)], AutoScores(previews[scored]));
        Assert.Equal([("DINO", "dddddddd", 0.5)], AutoScores(previews[unscored]));

        var blind = (await GetJsonAsync(running, "/api/sweeps/demo/blind?scorer=alice")).GetProperty("items").EnumerateArray().ToDictionary(p => p.GetProperty("id").GetInt64());
        Assert.Equal(2, AutoScores(blind[scored]).Count);
        // Not scored blind by alice yet: its automatic score could sway her, so it is not sent.
        Assert.Equal(JsonValueKind.Null, blind[unscored].GetProperty("autoScores").ValueKind);
    }

    private static List<(string?, string?, double)> AutoScores(JsonElement preview) =>
        preview.GetProperty("autoScores").EnumerateArray().Select(s => (s.GetProperty("metric").GetString(), s.GetProperty("model").GetString(), s.GetProperty("value").GetDouble())).ToList();

    [Fact]
    public async Task A_pair_is_two_jobs_previews_of_the_same_epoch_prompt_and_seed()
    {
        await using var running = await RunningServer.StartAsync();
        var previews = (await running.Results.Store.GetSweepGalleryAsync(ScoringResults.Sweep)).Jobs.SelectMany(job => job.Previews).ToDictionary(p => p.PreviewId);

        for (var i = 0; i < 10; i++)
        {
            var pair = await GetJsonAsync(running, "/api/sweeps/demo/pair?scorer=alice");
            var left = previews[pair.GetProperty("left").GetProperty("id").GetInt64()];
            var right = previews[pair.GetProperty("right").GetProperty("id").GetInt64()];

            Assert.NotEqual(left.JobId, right.JobId);
            Assert.Equal((left.Image.Epoch, left.Image.PromptIndex, left.Image.Seed), (right.Image.Epoch, right.Image.PromptIndex, right.Image.Seed));
        }
    }

    [Fact]
    public async Task Pairwise_choices_between_incomparable_previews_are_refused()
    {
        await using var running = await RunningServer.StartAsync();
        var ids = running.Results.PreviewIds;

        var sameJob = await running.Http.PostAsync("/api/sweeps/demo/pairwise", JsonBody.Of(new { leftId = ids["base"][0], rightId = ids["base"][1], chosenId = ids["base"][0], scorer = "alice" }));
        var otherPrompt = await running.Http.PostAsync("/api/sweeps/demo/pairwise", JsonBody.Of(new { leftId = ids["base"][0], rightId = ids["lion"][1], chosenId = ids["base"][0], scorer = "alice" }));
        var outside = await running.Http.PostAsync("/api/sweeps/demo/pairwise", JsonBody.Of(new { leftId = ids["base"][0], rightId = ids["lion"][0], chosenId = ids["alpha1"][0], scorer = "alice" }));

        Assert.Contains("cannot be compared", await ErrorAsync(sameJob), StringComparison.Ordinal);
        Assert.Contains("cannot be compared", await ErrorAsync(otherPrompt), StringComparison.Ordinal);
        Assert.Contains("neither", await ErrorAsync(outside), StringComparison.Ordinal);
        Assert.Empty(running.Results.Query<long>("SELECT id FROM pairwise_choices;"));
    }

    [Fact]
    public async Task Ratings_show_the_mean_of_latest_direct_scores_beside_the_pairwise_rating()
    {
        await using var running = await RunningServer.StartAsync();
        var store = running.Results.Store;
        var ids = running.Results.PreviewIds;
        await store.AddPreviewScoreAsync(ids["lion"][0], new ScoreEntry("alice", 10, Blind: true));
        await store.AddPreviewScoreAsync(ids["lion"][0], new ScoreEntry("alice", 70, Blind: true)); // replaces the 10
        await store.AddPreviewScoreAsync(ids["lion"][1], new ScoreEntry("bob", 90, Blind: false));
        for (var i = 0; i < 3; i++)
        {
            await store.AddPairwiseChoiceAsync(new PairwiseChoice(ids["lion"][0], ids["base"][0], ids["lion"][0], "alice"));
        }

        var ratings = await GetJsonAsync(running, "/api/sweeps/demo/ratings");

        var jobs = ratings.GetProperty("jobs").EnumerateArray().ToDictionary(job => job.GetProperty("label").GetString()!);
        Assert.Equal(80, jobs["lion"].GetProperty("directMean").GetDouble(), precision: 9);
        Assert.Equal(2, jobs["lion"].GetProperty("directCount").GetInt32());
        Assert.Equal(JsonValueKind.Null, jobs["base"].GetProperty("directMean").ValueKind);
        Assert.True(jobs["lion"].GetProperty("pairwiseRating").GetDouble() > 50);
        Assert.True(jobs["base"].GetProperty("pairwiseRating").GetDouble() < 50);
        Assert.Equal(3, jobs["lion"].GetProperty("comparisons").GetInt32());
        Assert.Equal(JsonValueKind.Null, jobs["alpha1"].GetProperty("pairwiseRating").ValueKind);
    }

    [Fact]
    public async Task A_tie_is_saved_without_a_chosen_preview_and_a_tie_must_not_name_one()
    {
        await using var running = await RunningServer.StartAsync();
        var ids = running.Results.PreviewIds;

        var tie = await running.Http.PostAsync("/api/sweeps/demo/pairwise", JsonBody.Of(new { leftId = ids["base"][0], rightId = ids["lion"][0], tie = true, scorer = "alice" }));
        var both = await running.Http.PostAsync("/api/sweeps/demo/pairwise", JsonBody.Of(new { leftId = ids["base"][0], rightId = ids["lion"][0], chosenId = ids["base"][0], tie = true, scorer = "alice" }));
        var neither = await running.Http.PostAsync("/api/sweeps/demo/pairwise", JsonBody.Of(new { leftId = ids["base"][0], rightId = ids["lion"][0], scorer = "alice" }));

        Assert.True(tie.IsSuccessStatusCode, await tie.Content.ReadAsStringAsync());
        var saved = await tie.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(saved.GetProperty("tie").GetBoolean());
        Assert.Equal(("base", "lion"), (saved.GetProperty("winnerLabel").GetString(), saved.GetProperty("loserLabel").GetString()));
        Assert.Contains("tie: true", await ErrorAsync(both), StringComparison.Ordinal);
        Assert.Contains("either chosenId", await ErrorAsync(neither), StringComparison.Ordinal);
        Assert.Equal([(ids["base"][0], ids["lion"][0], (long?)null)], running.Results.Query<(long, long, long?)>("SELECT first_preview_id, second_preview_id, chosen_preview_id FROM pairwise_choices;"));

        var ratings = (await GetJsonAsync(running, "/api/sweeps/demo/ratings")).GetProperty("jobs").EnumerateArray().ToDictionary(job => job.GetProperty("label").GetString()!);
        Assert.Equal(50, ratings["base"].GetProperty("pairwiseRating").GetDouble(), precision: 9);
        Assert.Equal(1, ratings["lion"].GetProperty("comparisons").GetInt32());
        Assert.True(ratings["base"].GetProperty("pairwiseLow").GetDouble() < 50 && ratings["base"].GetProperty("pairwiseHigh").GetDouble() > 50);
    }

    [Fact]
    public async Task A_pair_names_its_epoch_and_a_training_image_of_the_left_job_served_only_by_preview()
    {
        await using var running = await RunningServer.StartAsync();
        var previews = (await running.Results.Store.GetSweepGalleryAsync(ScoringResults.Sweep)).Jobs.SelectMany(job => job.Previews).DistinctBy(p => p.PreviewId).ToDictionary(p => p.PreviewId);

        var sawReference = false;
        var sawNone = false;
        for (var i = 0; i < 30 && !(sawReference && sawNone); i++)
        {
            var pair = await GetJsonAsync(running, "/api/sweeps/demo/pair?scorer=alice");
            var left = previews[pair.GetProperty("left").GetProperty("id").GetInt64()];
            Assert.Equal(left.Image.Epoch, pair.GetProperty("epoch").GetInt64());
            if (left.JobId == ScoringResults.JobId("lion"))
            {
                Assert.Equal(JsonValueKind.Null, pair.GetProperty("referenceUrl").ValueKind); // no spec on record
                sawNone = true;
                continue;
            }

            var url = pair.GetProperty("referenceUrl").GetString()!;
            Assert.Equal($"/references/demo/{left.PreviewId}", url);
            var response = await running.Http.GetAsync(url);
            Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
            using var image = SixLabors.ImageSharp.Image.Load<SixLabors.ImageSharp.PixelFormats.Rgba32>(await response.Content.ReadAsByteArrayAsync());
            Assert.Equal((48, ScoringResults.TrainingColour), (image.Width, image[10, 10]));
            sawReference = true;
        }

        Assert.True(sawReference && sawNone, "30 random pairs put both kinds of job on the left");
        Assert.Equal(HttpStatusCode.NotFound, (await running.Http.GetAsync($"/references/demo/{running.Results.PreviewIds["lion"][0]}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await running.Http.GetAsync("/references/demo/999999")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await running.Http.GetAsync($"/references/other/{running.Results.PreviewIds["base"][0]}")).StatusCode);
    }

    [Fact]
    public async Task A_skipped_pair_is_not_offered_again_while_there_is_another()
    {
        await using var running = await RunningServer.StartAsync();

        for (var i = 0; i < 15; i++)
        {
            var first = await GetJsonAsync(running, "/api/sweeps/demo/pair?scorer=alice");
            var (a, b) = (first.GetProperty("left").GetProperty("id").GetInt64(), first.GetProperty("right").GetProperty("id").GetInt64());
            var next = await GetJsonAsync(running, $"/api/sweeps/demo/pair?scorer=alice&skip={a},{b}");
            var pair = new[] { next.GetProperty("left").GetProperty("id").GetInt64(), next.GetProperty("right").GetProperty("id").GetInt64() }.Order();
            Assert.NotEqual(new[] { a, b }.Order(), pair);
        }

        Assert.Empty(running.Results.Query<long>("SELECT id FROM pairwise_choices;"));
    }

    private static List<long> Ids(JsonElement queue) => queue.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("id").GetInt64()).ToList();

    private static async Task<JsonElement> GetJsonAsync(RunningServer running, string path)
    {
        var response = await running.Http.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"{path}: HTTP {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<string> ErrorAsync(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"expected a refusal, got HTTP {(int)response.StatusCode}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString() ?? "";
    }
}
