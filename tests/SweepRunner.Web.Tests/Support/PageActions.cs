using PuppeteerSharp;

namespace SweepRunner.Web.Tests.Support;

/// <summary>What a scorer does on the page, in browser terms.</summary>
public static class PageActions
{
    public static async Task OpenAsync(IPage page, string url)
    {
        var response = await page.GoToAsync(url, WaitUntilNavigation.Load);
        Assert.True(response.Ok, $"opening {url} gave HTTP {(int)response.Status}");
    }

    public static Task WaitReadyAsync(IPage page) => page.WaitForSelectorAsync("body[data-state=ready]");

    public static async Task GiveNameAsync(IPage page, string name)
    {
        await page.WaitForSelectorAsync("#name-input", new WaitForSelectorOptions { Visible = true });
        await page.TypeAsync("#name-input", name);
        await page.Keyboard.PressAsync("Enter");
        await WaitReadyAsync(page);
    }

    public static async Task ReloadAsync(IPage page)
    {
        await page.ReloadAsync();
        await WaitReadyAsync(page);
    }

    /// <summary>True once every image on the page has loaded with real pixels.</summary>
    public static Task<bool> AllImagesLoadedAsync(IPage page) =>
        page.EvaluateExpressionAsync<bool>("[...document.images].length > 0 && [...document.images].every(i => i.complete && i.naturalWidth > 0)");

    public static async Task WaitForImagesAsync(IPage page) =>
        await page.WaitForFunctionAsync("() => [...document.images].length > 0 && [...document.images].every(i => i.complete && i.naturalWidth > 0)");
}
