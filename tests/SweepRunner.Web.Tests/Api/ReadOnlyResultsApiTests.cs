using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using SweepRunner.Store;
using SweepRunner.Web.Tests.Support;

namespace SweepRunner.Web.Tests.Api;

/// <summary>The page over a results folder on a read-only mount: it shows everything, and a save says in words why it cannot.</summary>
public sealed class ReadOnlyResultsApiTests
{
    [Fact]
    public async Task Saving_a_score_or_a_choice_into_a_read_only_results_folder_is_refused_in_one_sentence_without_paths()
    {
        await using var results = await ScoringResults.CreateAsync();
        SqliteConnection.ClearAllPools();
        using var mount = new ReadOnlyMount(results.Folder);
        var store = await ResultsStore.OpenForReadingAsync(results.Folder);
        Assert.True(store.IsReadOnly);
        await using var server = await ScoringServer.StartAsync(new ScoringServerOptions { Port = 0 }, store);
        using var http = new HttpClient { BaseAddress = server.Url, Timeout = TimeSpan.FromSeconds(30) };
        var ids = results.PreviewIds;

        var gallery = await http.GetAsync("/api/sweeps/demo/gallery?scorer=alice");
        var score = await http.PostAsync("/api/sweeps/demo/scores", JsonBody.Of(new { previewId = ids["base"][0], scorer = "alice", value = 70, blind = false }));
        var choice = await http.PostAsync("/api/sweeps/demo/pairwise", JsonBody.Of(new { leftId = ids["base"][0], rightId = ids["lion"][0], chosenId = ids["base"][0], scorer = "alice" }));

        Assert.Equal(HttpStatusCode.OK, gallery.StatusCode);
        foreach (var refused in new[] { score, choice })
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var error = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString()!;
            Assert.Equal("the results folder is read-only; nothing can be saved there. Make it writable, or work on a writable copy.", error);
            Assert.DoesNotContain(results.Folder, error, StringComparison.Ordinal);
        }
    }
}
