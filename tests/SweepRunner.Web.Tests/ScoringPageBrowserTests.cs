using System.Collections.Concurrent;
using PuppeteerSharp;
using SweepRunner.Core.Results;
using SweepRunner.Web.Tests.Support;

namespace SweepRunner.Web.Tests;

/// <summary>The scoring page in a real headless Chromium against a real server and SQLite store.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ScoringPageBrowserTests(HeadlessChromium chromium)
{
    [Fact]
    public async Task Blind_mode_scores_given_by_keyboard_are_saved_blind_with_the_scorer_and_kept_after_a_reload()
    {
        await using var running = await RunningServer.StartAsync();
        var (context, page) = await chromium.NewPageAsync();
        await using var _ = context;

        await PageActions.OpenAsync(page, running.PageUrl + "#blind");
        await PageActions.GiveNameAsync(page, "alice");
        await PageActions.WaitForImagesAsync(page);
        var hidden = await page.EvaluateExpressionAsync<string>("document.querySelector('.reveal').textContent");
        Assert.Contains("hidden", hidden, StringComparison.Ordinal);
        var viewText = await page.EvaluateExpressionAsync<string>("document.getElementById('view').textContent");
        Assert.DoesNotContain(ScoringResults.Labels, label => viewText.Contains(label, StringComparison.Ordinal));

        var shown = new List<long>();
        foreach (var key in new[] { "7", "h", "3" })
        {
            shown.Add(await CurrentPreviewIdAsync(page));
            await page.Keyboard.PressAsync(key);
        }

        // Saved in the order given (scores are append-only and the latest counts).
        var rows = await running.Results.WaitForRowsAsync<ScoreRow>(
            "SELECT preview_id AS PreviewId, value AS Value, blind AS Blind, scorer AS Scorer FROM scores ORDER BY id;", r => r.Count == 3);
        Assert.Equal(
            [new ScoreRow(shown[0], 70, 1, "alice"), new ScoreRow(shown[1], 100, 1, "alice"), new ScoreRow(shown[2], 30, 1, "alice")],
            rows);

        await PageActions.ReloadAsync(page);
        Assert.True(await page.EvaluateExpressionAsync<bool>("document.getElementById('name-dialog').hidden"), "the name is asked once and kept");
        Assert.DoesNotContain(await CurrentPreviewIdAsync(page), shown);
        await page.Keyboard.PressAsync("ArrowLeft");
        Assert.Equal(shown[2], await CurrentPreviewIdAsync(page));
        var reveal = await page.EvaluateExpressionAsync<string>("document.querySelector('.reveal').textContent");
        Assert.Contains("you gave 30", reveal, StringComparison.Ordinal);
        Assert.Contains(ScoringResults.Labels, label => reveal.Contains(label, StringComparison.Ordinal));
        Assert.Equal(3, running.Results.Query<long>("SELECT count(*) FROM scores WHERE blind = 1 AND scorer = 'alice';")[0]);
    }

    [Fact]
    public async Task Automatic_scores_show_under_each_gallery_preview_and_after_a_blind_score()
    {
        await using var running = await RunningServer.StartAsync();
        var ids = running.Results.PreviewIds.Values.SelectMany(list => list).ToList();
        await running.Results.Store.RecordAutoScoresAsync(ids.SelectMany(id => new[]
        {
            new AutoScore(id, SweepRunner.Core.Scoring.AutoMetric.ClipI, new string('c', 64), 0.75),
            new AutoScore(id, SweepRunner.Core.Scoring.AutoMetric.Dino, new string('d', 64), 0.5),
        }).ToList());
        var (context, page) = await chromium.NewPageAsync();
        await using var _ = context;

        await PageActions.OpenAsync(page, running.PageUrl);
        await PageActions.GiveNameAsync(page, "dave");
        await PageActions.WaitForImagesAsync(page);
        var captions = await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('.tile:not(.ref) figcaption.auto')].map(c => c.textContent)");
        Assert.Equal(12, captions.Length);
        Assert.All(captions, caption => Assert.Equal("CLIP-I 0.750 · DINO 0.500", caption));

        await page.GoToAsync(running.PageUrl + "#blind");
        await PageActions.WaitReadyAsync(page);
        await PageActions.WaitForImagesAsync(page);
        Assert.DoesNotContain("CLIP-I", await page.EvaluateExpressionAsync<string>("document.getElementById('view').textContent"), StringComparison.Ordinal);
        var first = await CurrentPreviewIdAsync(page);
        await page.Keyboard.PressAsync("6");
        await running.Results.WaitForRowsAsync<long>("SELECT id FROM scores;", rows => rows.Count == 1);
        await page.Keyboard.PressAsync("ArrowLeft");
        Assert.Equal(first, await CurrentPreviewIdAsync(page));
        await page.WaitForFunctionAsync("() => document.querySelector('.reveal').textContent.includes('automatic')");
        Assert.Contains("automatic: CLIP-I 0.750 · DINO 0.500", await page.EvaluateExpressionAsync<string>("document.querySelector('.reveal').textContent"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gallery_scores_by_keyboard_with_a_note_are_saved_not_blind()
    {
        await using var running = await RunningServer.StartAsync();
        var (context, page) = await chromium.NewPageAsync();
        await using var _ = context;

        await PageActions.OpenAsync(page, running.PageUrl);
        await PageActions.GiveNameAsync(page, "carol");
        Assert.Equal(12, await page.EvaluateExpressionAsync<int>("document.querySelectorAll('.tile:not(.ref)').length"));
        var first = await CurrentPreviewIdAsync(page);
        await page.Keyboard.PressAsync("5");
        await page.Keyboard.PressAsync("ArrowRight");
        var second = await CurrentPreviewIdAsync(page);
        await page.Keyboard.PressAsync("n");
        await page.Keyboard.TypeAsync("eyes drift");
        await page.Keyboard.PressAsync("Escape");
        await page.Keyboard.PressAsync("=");

        var rows = await running.Results.WaitForRowsAsync<(long PreviewId, double Value, long Blind, string? Note)>(
            "SELECT preview_id, value, blind, note FROM scores ORDER BY id;", r => r.Count == 2);
        Assert.Equal([(first, 50.0, 0L, (string?)null), (second, 100.0, 0L, "eyes drift")], rows);
        Assert.NotEqual(first, second);
        Assert.Equal(running.Results.PreviewIds["base"][0], first);
    }

    [Fact]
    public async Task The_baseline_is_shown_beside_a_job_and_in_the_zoom()
    {
        await using var running = await RunningServer.StartAsync();
        var (context, page) = await chromium.NewPageAsync();
        await using var _ = context;
        await PageActions.OpenAsync(page, running.PageUrl);
        await PageActions.GiveNameAsync(page, "gina");
        var titles = await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('section.job h2')].map(h => h.textContent)");
        Assert.StartsWith("base baseline", titles[0], StringComparison.Ordinal);
        Assert.StartsWith("lion optimizer_type=Lion, learning_rate=0.0001", titles[2], StringComparison.Ordinal);

        await page.ClickAsync("#beside");
        await PageActions.WaitReadyAsync(page);
        var beside = await page.EvaluateExpressionAsync<long[]>("[...document.querySelectorAll('section.job[data-label=alpha1] .tile.ref')].map(t => Number(t.dataset.id))");
        Assert.Equal(running.Results.PreviewIds["base"], beside);

        var alphaFirst = running.Results.PreviewIds["alpha1"][0];
        await page.ClickAsync($".tile[data-id=\"{alphaFirst}\"]:not(.ref)"); // selects it
        Assert.True(await page.EvaluateExpressionAsync<bool>("document.getElementById('zoom').hidden"), "the first click only selects");
        await page.ClickAsync($".tile[data-id=\"{alphaFirst}\"]:not(.ref)"); // zooms the selected one
        var caption = await page.EvaluateExpressionAsync<string>("document.querySelector('#zoom figcaption').textContent");
        Assert.StartsWith("alpha1 (network_alpha=1) · epoch 1 · ", caption, StringComparison.Ordinal);
        var zoomed = await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('#zoom:not([hidden]) img')].map(i => new URL(i.src).pathname)");
        Assert.Equal([$"/images/{alphaFirst}", $"/images/{running.Results.PreviewIds["base"][0]}"], zoomed);
        await page.Keyboard.PressAsync("Escape");
        Assert.True(await page.EvaluateExpressionAsync<bool>("document.getElementById('zoom').hidden"));
    }

    [Fact]
    public async Task Quick_rescoring_of_one_preview_is_saved_in_the_order_given_so_the_last_key_counts()
    {
        await using var running = await RunningServer.StartAsync();
        var (context, page) = await chromium.NewPageAsync();
        await using var _ = context;
        await PageActions.OpenAsync(page, running.PageUrl);
        await PageActions.GiveNameAsync(page, "frank");
        var id = await CurrentPreviewIdAsync(page);

        foreach (var key in new[] { "1", "2", "3", "4", "5", "6", "7", "8", "9", "h", "4" })
        {
            await page.Keyboard.PressAsync(key);
        }

        var rows = await running.Results.WaitForRowsAsync<double>("SELECT value FROM scores ORDER BY id;", r => r.Count == 11);
        Assert.Equal([10.0, 20, 30, 40, 50, 60, 70, 80, 90, 100, 40], rows);
        var latest = Assert.Single(await running.Results.Store.GetLatestPreviewScoresAsync(ScoringResults.Sweep));
        Assert.Equal((id, 40.0), (latest.PreviewId!.Value, latest.Value));
    }

    [Fact]
    public async Task Pairwise_mode_records_each_choice_in_the_database()
    {
        await using var running = await RunningServer.StartAsync();
        var (context, page) = await chromium.NewPageAsync();
        await using var _ = context;

        await PageActions.OpenAsync(page, running.PageUrl + "#pairwise");
        await PageActions.GiveNameAsync(page, "bob");
        var expected = new List<(long First, long Second, long Chosen)>();
        foreach (var (key, side) in new[] { ("ArrowLeft", 0), ("2", 1), ("1", 0) })
        {
            await page.WaitForSelectorAsync(".side[data-side=right]");
            await PageActions.WaitForImagesAsync(page);
            var left = await SideIdAsync(page, "left");
            var right = await SideIdAsync(page, "right");
            expected.Add((left, right, side == 0 ? left : right));
            await page.Keyboard.PressAsync(key);
            await PageActions.WaitReadyAsync(page);
        }

        var rows = await running.Results.WaitForRowsAsync<(long First, long Second, long Chosen, string Scorer)>(
            "SELECT first_preview_id, second_preview_id, chosen_preview_id, scorer FROM pairwise_choices ORDER BY id;", r => r.Count == 3);
        Assert.Equal(expected, rows.Select(row => (row.First, row.Second, row.Chosen)));
        Assert.All(rows, row => Assert.Equal("bob", row.Scorer));

        await page.GoToAsync(running.PageUrl + "#ratings");
        await PageActions.WaitReadyAsync(page);
        var table = await page.EvaluateExpressionAsync<string>("document.querySelector('table.ratings').textContent");
        Assert.Contains("Bradley", table, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_ratings_view_counts_scores_given_from_the_command_line_with_their_epoch()
    {
        await using var running = await RunningServer.StartAsync();
        var store = running.Results.Store;
        await store.AddPreviewScoreAsync(running.Results.PreviewIds["lion"][0], new ScoreEntry("bob", 20, Blind: false)); // epoch 1: not counted
        await store.AddSweepScoresAsync(ScoringResults.Sweep, [new LabelledScore("lion", new ScoreEntry("alice", 65, Blind: false), Epoch: null, "the command line")]);
        var (context, page) = await chromium.NewPageAsync();
        await using var _ = context;

        await PageActions.OpenAsync(page, running.PageUrl + "#ratings");
        await PageActions.WaitReadyAsync(page);

        var cells = await page.EvaluateExpressionAsync<string[]>(
            "[...document.querySelectorAll('table.ratings tr[data-label=\"lion\"] td')].map(td => td.textContent)");
        Assert.Equal(["65", "1", "2"], cells[3..6]); // score, how many scores, the epoch they judge (the final one)
    }

    [Fact]
    public async Task Previews_recorded_after_the_page_loaded_appear_on_reload()
    {
        await using var running = await RunningServer.StartAsync();
        var (context, page) = await chromium.NewPageAsync();
        await using var _ = context;
        await PageActions.OpenAsync(page, running.PageUrl);
        await PageActions.GiveNameAsync(page, "dave");
        Assert.Equal(12, await page.EvaluateExpressionAsync<int>("document.querySelectorAll('.tile:not(.ref)').length"));

        var added = await running.Results.AddPreviewAsync("alpha1", epoch: 3, promptIndex: 0);
        await PageActions.ReloadAsync(page);

        Assert.Equal(13, await page.EvaluateExpressionAsync<int>("document.querySelectorAll('.tile:not(.ref)').length"));
        await page.WaitForFunctionAsync($"() => {{ const i = document.querySelector('.tile[data-id=\"{added}\"] img'); return i && i.complete && i.naturalWidth === 32; }}");
    }

    [Fact]
    public async Task With_a_token_the_page_works_from_the_printed_address_and_no_address_it_requests_carries_the_token()
    {
        const string token = "page-token-1234";
        await using var running = await RunningServer.StartAsync(token);
        var (context, page) = await chromium.NewPageAsync();
        await using var _ = context;
        var requested = new ConcurrentQueue<string>();
        page.Request += (_, e) => requested.Enqueue(e.Request.Url);

        await PageActions.OpenAsync(page, running.PageUrl + "#gallery");
        await PageActions.GiveNameAsync(page, "erin");
        await PageActions.WaitForImagesAsync(page);
        await page.Keyboard.PressAsync("9");

        var rows = await running.Results.WaitForRowsAsync<(double Value, string Scorer)>("SELECT value, scorer FROM scores;", r => r.Count == 1);
        Assert.Equal((90.0, "erin"), rows[0]);
        Assert.Equal(new Uri(running.Server.Url, "/#gallery").ToString(), page.Url);
        Assert.DoesNotContain(token, await page.EvaluateExpressionAsync<string>("document.cookie"), StringComparison.Ordinal); // HttpOnly

        var urls = requested.ToList();
        Assert.Equal(running.PageUrl + "#gallery", urls[0]); // the printed address, then never the token again
        var pageRequests = urls.Skip(1).ToList();
        Assert.Contains(pageRequests, url => new Uri(url).AbsolutePath.StartsWith("/images/", StringComparison.Ordinal));
        Assert.Contains(pageRequests, url => new Uri(url).AbsolutePath == "/api/sweeps");
        Assert.Contains(pageRequests, url => new Uri(url).AbsolutePath.EndsWith("/scores", StringComparison.Ordinal));
        Assert.Contains(pageRequests, url => new Uri(url).AbsolutePath == "/static/app.js");
        Assert.All(pageRequests, url => Assert.DoesNotContain(token, url, StringComparison.Ordinal));

        // Another browser, without the cookie, gets nothing from the bare address.
        var (otherContext, other) = await chromium.NewPageAsync();
        await using var __ = otherContext;
        var bare = await other.GoToAsync(running.Server.Url.ToString());
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, bare.Status);
    }

    [Fact]
    public async Task With_a_token_the_printed_address_works_from_a_link_on_another_site()
    {
        const string token = "page-token-5678";
        await using var running = await RunningServer.StartAsync(token);
        var (context, page) = await chromium.NewPageAsync();
        await using var _ = context;

        // http://localhost:PORT is another site than http://127.0.0.1:PORT: a link from it is a cross-site navigation,
        // on whose redirects the browser sends no SameSite=Strict cookie.
        await page.GoToAsync($"http://localhost:{running.Server.Url.Port}/");
        await page.EvaluateExpressionAsync($"document.body.innerHTML = '<a id=\"go\" href=\"{running.PageUrl}#gallery\">scoring</a>'");
        await page.ClickAsync("#go");
        await PageActions.GiveNameAsync(page, "ivan");
        await PageActions.WaitForImagesAsync(page);
        await page.Keyboard.PressAsync("7");

        var rows = await running.Results.WaitForRowsAsync<(double Value, string Scorer)>("SELECT value, scorer FROM scores;", r => r.Count == 1);
        Assert.Equal((70.0, "ivan"), rows[0]);
        Assert.Equal(new Uri(running.Server.Url, "/#gallery").ToString(), page.Url);
        await PageActions.ReloadAsync(page);
        Assert.Equal(12, await page.EvaluateExpressionAsync<int>("document.querySelectorAll('.tile:not(.ref)').length"));
    }

    private static Task<long> CurrentPreviewIdAsync(IPage page) =>
        page.EvaluateExpressionAsync<long>("Number(document.querySelector('.tile.current').dataset.id)");

    private static Task<long> SideIdAsync(IPage page, string side) =>
        page.EvaluateExpressionAsync<long>($"Number(document.querySelector('.side[data-side={side}]').dataset.id)");

    private sealed record ScoreRow(long PreviewId, double Value, long Blind, string Scorer);
}
