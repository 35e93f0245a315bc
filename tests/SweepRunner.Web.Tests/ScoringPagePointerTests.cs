using PuppeteerSharp;
using SweepRunner.Web.Tests.Support;

namespace SweepRunner.Web.Tests;

/// <summary>The scoring page with the mouse and on a touch screen, and what it shows beside the images.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ScoringPagePointerTests(HeadlessChromium chromium)
{
    [Fact]
    public async Task With_the_mouse_a_click_selects_a_preview_and_a_score_button_saves_its_score()
    {
        await using var running = await RunningServer.StartAsync();
        var (context, page) = await chromium.NewPageAsync();
        await using var _ = context;
        await PageActions.OpenAsync(page, running.PageUrl);
        await PageActions.GiveNameAsync(page, "mona");

        var target = running.Results.PreviewIds["lion"][3];
        await page.ClickAsync($".tile[data-id=\"{target}\"]");
        await page.ClickAsync("#score-bar button[data-score=\"70\"]");
        await page.ClickAsync("#score-bar button[data-score=\"100\"]");

        var rows = await running.Results.WaitForRowsAsync<(long PreviewId, double Value, long Blind, string Scorer)>(
            "SELECT preview_id, value, blind, scorer FROM scores ORDER BY id;", r => r.Count == 2);
        Assert.Equal([(target, 70.0, 0L, "mona"), (target, 100.0, 0L, "mona")], rows);
        Assert.Equal(11, await page.EvaluateExpressionAsync<int>("document.querySelectorAll('#score-bar button').length"));
    }

    [Fact]
    public async Task On_a_touch_screen_taps_select_and_score_in_the_gallery_and_in_blind_mode()
    {
        await using var running = await RunningServer.StartAsync();
        var (context, page) = await chromium.NewPageAsync();
        await using var _ = context;
        await page.SetViewportAsync(new ViewPortOptions { Width = 800, Height = 1000, HasTouch = true, IsMobile = true });
        await PageActions.OpenAsync(page, running.PageUrl);
        await PageActions.GiveNameAsync(page, "nina");

        var target = running.Results.PreviewIds["alpha1"][2];
        await (await page.QuerySelectorAsync($".tile[data-id=\"{target}\"]")).TapAsync();
        await (await page.QuerySelectorAsync("#score-bar button[data-score=\"40\"]")).TapAsync();
        await running.Results.WaitForRowsAsync<long>("SELECT id FROM scores;", r => r.Count == 1);

        await page.GoToAsync(running.PageUrl + "#blind"); // only the hash changes: wait for blind mode itself
        await page.WaitForSelectorAsync(".blind .tile");
        await PageActions.WaitForImagesAsync(page);
        var shown = await page.EvaluateExpressionAsync<long>("Number(document.querySelector('.blind .tile').dataset.id)");
        var prompt = await page.EvaluateExpressionAsync<string>("document.querySelector('.blind .prompt-text').textContent");
        await (await page.QuerySelectorAsync("#score-bar button[data-score=\"90\"]")).TapAsync();

        var rows = await running.Results.WaitForRowsAsync<(long PreviewId, double Value, long Blind)>(
            "SELECT preview_id, value, blind FROM scores ORDER BY id;", r => r.Count == 2);
        Assert.Equal([(target, 40.0, 0L), (shown, 90.0, 1L)], rows);
        var stored = Assert.Single((await running.Results.Store.GetSweepGalleryAsync(ScoringResults.Sweep)).Jobs.SelectMany(job => job.Previews).Where(p => p.PreviewId == shown).DistinctBy(p => p.PreviewId));
        Assert.Equal(stored.Image.Prompt, prompt);
    }

    [Fact]
    public async Task Prompts_head_their_columns_and_thumbnails_grow_with_the_window()
    {
        await using var running = await RunningServer.StartAsync();
        var (context, page) = await chromium.NewPageAsync();
        await using var _ = context;
        await page.SetViewportAsync(new ViewPortOptions { Width = 1600, Height = 900 });
        await PageActions.OpenAsync(page, running.PageUrl);
        await PageActions.GiveNameAsync(page, "olga");

        var heads = await page.EvaluateExpressionAsync<string[]>("[...document.querySelector('section.job table.grid tr').querySelectorAll('th.prompt')].map(th => th.textContent)");
        Assert.Equal(["a photo of sks person, prompt 0", "a photo of sks person, prompt 1"], heads);
        var wide = await page.EvaluateExpressionAsync<int>("document.querySelector('.tile img').getBoundingClientRect().width");

        await page.SetViewportAsync(new ViewPortOptions { Width = 700, Height = 900 });
        await PageActions.ReloadAsync(page);
        var narrow = await page.EvaluateExpressionAsync<int>("document.querySelector('.tile img').getBoundingClientRect().width");

        Assert.Equal(320, wide); // 2 columns in 1600 pixels: the 320-pixel cap
        Assert.InRange(narrow, 96, 300);
        Assert.True(narrow < wide);
    }

    [Fact]
    public async Task Pairwise_shows_the_epoch_and_a_training_image_and_records_a_tie_and_nothing_for_a_skip()
    {
        await using var running = await RunningServer.StartAsync();
        var (context, page) = await chromium.NewPageAsync();
        await using var _ = context;
        await PageActions.OpenAsync(page, running.PageUrl + "#pairwise");
        await PageActions.GiveNameAsync(page, "pia");
        await page.WaitForSelectorAsync(".side[data-side=right]");
        await PageActions.WaitForImagesAsync(page);

        var heading = await page.EvaluateExpressionAsync<string>("document.querySelector('.pairwise p').textContent");
        Assert.Matches(@"· epoch [12] ·", heading);
        var reference = await page.EvaluateExpressionAsync<string?>("document.querySelector('.reference img') && new URL(document.querySelector('.reference img').src).pathname");
        var leftId = await page.EvaluateExpressionAsync<long>("Number(document.querySelector('.side[data-side=left]').dataset.id)");
        var leftIsLion = running.Results.PreviewIds["lion"].Contains(leftId);
        Assert.Equal(leftIsLion ? null : $"/references/demo/{leftId}", reference);

        var before = await PairAsync(page);
        await page.ClickAsync("#skip");
        await page.WaitForFunctionAsync($"() => document.body.dataset.state === 'ready' && document.querySelector('.side[data-side=left]') && !['{before.Left},{before.Right}', '{before.Right},{before.Left}'].includes(document.querySelector('.side[data-side=left]').dataset.id + ',' + document.querySelector('.side[data-side=right]').dataset.id)");
        Assert.Empty(running.Results.Query<long>("SELECT id FROM pairwise_choices;"));

        var tied = await PairAsync(page);
        await page.Keyboard.PressAsync("t");
        var rows = await running.Results.WaitForRowsAsync<(long First, long Second, long? Chosen, string Scorer)>(
            "SELECT first_preview_id, second_preview_id, chosen_preview_id, scorer FROM pairwise_choices;", r => r.Count == 1);
        Assert.Equal((tied.Left, tied.Right, (long?)null, "pia"), rows[0]);

        // Only the hash changes: the page stays "ready" from pairwise mode until the ratings arrive, so wait for them.
        await page.GoToAsync(running.PageUrl + "#ratings");
        await page.WaitForSelectorAsync("table.ratings td.interval");
        await PageActions.WaitReadyAsync(page);
        var intervals = await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('table.ratings td.interval')].map(td => td.textContent)");
        Assert.Equal(2, intervals.Count(text => System.Text.RegularExpressions.Regex.IsMatch(text, @"^\d+(\.\d)?–\d+(\.\d)?$")));
    }

    private static async Task<(long Left, long Right)> PairAsync(IPage page) =>
        (await page.EvaluateExpressionAsync<long>("Number(document.querySelector('.side[data-side=left]').dataset.id)"),
         await page.EvaluateExpressionAsync<long>("Number(document.querySelector('.side[data-side=right]').dataset.id)"));
}
