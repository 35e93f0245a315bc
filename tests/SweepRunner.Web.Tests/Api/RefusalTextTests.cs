using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SweepRunner.Web.Api;
using SweepRunner.Web.Tests.Support;

namespace SweepRunner.Web.Tests.Api;

/// <summary>What the API says when it refuses: no file paths of this machine, and no control characters let into the database.</summary>
public sealed class RefusalTextTests
{
    [Theory]
    [InlineData("/api/sweeps/nope/gallery")]
    [InlineData("/api/sweeps/nope/blind?scorer=alice")]
    [InlineData("/api/sweeps/nope/pair?scorer=alice")]
    [InlineData("/api/sweeps/nope/ratings")]
    public async Task An_unknown_sweep_is_a_404_that_names_the_sweep_but_no_file(string path)
    {
        await using var running = await RunningServer.StartAsync();

        var response = await running.Http.GetAsync(path);
        var body = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString() ?? "";

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.StartsWith("no sweep named 'nope' in this results folder", body, StringComparison.Ordinal);
        Assert.Contains("it holds: demo", body, StringComparison.Ordinal);
        Assert.DoesNotContain(running.Results.Folder, body, StringComparison.Ordinal);
        Assert.DoesNotContain("sweeprunner.db", body, StringComparison.Ordinal);
        Assert.DoesNotContain(Path.GetTempPath().TrimEnd('/'), body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scoring_in_an_unknown_sweep_is_a_404_without_the_database_path()
    {
        await using var running = await RunningServer.StartAsync();

        var response = await running.Http.PostAsync("/api/sweeps/nope/scores", JsonBody.Of(new { previewId = 1, scorer = "alice", value = 50, blind = false }));
        var body = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString() ?? "";

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.StartsWith("no sweep named 'nope'", body, StringComparison.Ordinal);
        Assert.DoesNotContain(running.Results.Folder, body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/tmp/r/sweeprunner.db: no preview with id 4 to score.", "/tmp/r", "no preview with id 4 to score.")]
    [InlineData("cannot write /tmp/r/demo/x.png (disk full)", "/tmp/r", "cannot write the results folder/demo/x.png (disk full)")]
    [InlineData("no sweep named 'a: b'", "/tmp/r", "no sweep named 'a: b'")]
    [InlineData("see /tmp/rr/x", "/tmp/r", "see /tmp/rr/x")]
    public void Store_messages_lose_their_file_paths(string message, string folder, string expected)
    {
        Assert.Equal(expected, ScoringApi.WithoutPaths(message, folder));
    }

    [Theory]
    [InlineData("al\u0000ice")]
    [InlineData("alice\u001b[2J")]
    [InlineData("al\tice")]
    [InlineData("alice\r")]
    [InlineData("ali\u0085ce")]
    public async Task Control_characters_in_a_scorer_name_are_refused_naming_the_field(string scorer)
    {
        await using var running = await RunningServer.StartAsync();
        var ids = running.Results.PreviewIds;

        var score = await running.Http.PostAsync("/api/sweeps/demo/scores", JsonBody.Of(new { previewId = ids["base"][0], scorer, value = 50, blind = false }));
        var choice = await running.Http.PostAsync("/api/sweeps/demo/pairwise", JsonBody.Of(new { leftId = ids["base"][0], rightId = ids["lion"][0], chosenId = ids["base"][0], scorer }));
        var blind = await running.Http.GetAsync("/api/sweeps/demo/blind?scorer=" + Uri.EscapeDataString(scorer));
        var gallery = await running.Http.GetAsync("/api/sweeps/demo/gallery?scorer=" + Uri.EscapeDataString(scorer));

        foreach (var response in new[] { score, choice, blind, gallery })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var error = await ErrorAsync(response);
            Assert.StartsWith("scorer must not contain control characters", error, StringComparison.Ordinal);
        }

        Assert.Empty(running.Results.Query<long>("SELECT id FROM scores;"));
        Assert.Empty(running.Results.Query<long>("SELECT id FROM pairwise_choices;"));
    }

    [Theory]
    [InlineData("soft\u0000eyes", "U+0000")]
    [InlineData("soft\reyes", "U+000D")]
    [InlineData("soft\u007feyes", "U+007F")]
    public async Task Control_characters_in_a_note_are_refused_naming_the_field(string note, string found)
    {
        await using var running = await RunningServer.StartAsync();

        var response = await running.Http.PostAsync("/api/sweeps/demo/scores", JsonBody.Of(new { previewId = running.Results.PreviewIds["base"][0], scorer = "alice", value = 50, blind = false, note }));

        var error = await ErrorAsync(response);
        Assert.StartsWith("note must not contain control characters other than tab and newline", error, StringComparison.Ordinal);
        Assert.Contains(found, error, StringComparison.Ordinal);
        Assert.Empty(running.Results.Query<long>("SELECT id FROM scores;"));
    }

    [Fact]
    public async Task Tabs_and_newlines_in_a_note_are_kept()
    {
        await using var running = await RunningServer.StartAsync();

        var response = await running.Http.PostAsync("/api/sweeps/demo/scores", JsonBody.Of(new { previewId = running.Results.PreviewIds["base"][0], scorer = "alice", value = 50, blind = false, note = "eyes:\tsoft\nhands: fine" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["eyes:\tsoft\nhands: fine"], running.Results.Query<string>("SELECT note FROM scores;"));
    }

    private static async Task<string> ErrorAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString() ?? "";
    }
}
