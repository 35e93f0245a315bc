using PuppeteerSharp;
using SweepRunner.Reports.Html;
using SweepRunner.Reports.Tests.Support;

namespace SweepRunner.Reports.Tests.Html;

public sealed class ReportInBrowserTests
{
    private sealed record ImageState(string Src, int NaturalWidth);

    [Fact]
    public async Task The_report_opens_in_headless_chromium_with_every_image_loaded_and_no_console_errors()
    {
        var executable = HeadlessChromium.RequireExecutable();
        using var folder = new TemporaryFolder();
        var results = Path.Combine(folder.Path, "results");
        var store = await StudyStore.CreateAsync(results);
        var report = SweepReportWriter.Write(await store.GetSweepReportDataAsync(StudyStore.SweepName), results, Path.Combine(folder.Path, "report"), DateTimeOffset.UnixEpoch);

        await using var browser = await Puppeteer.LaunchAsync(new LaunchOptions
        {
            Headless = true,
            ExecutablePath = executable,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
            UserDataDir = Path.Combine(folder.Path, "chromium-profile"),
        });
        await using var page = await browser.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, e) =>
        {
            if (e.Message.Type == ConsoleType.Error)
            {
                errors.Add("console: " + e.Message.Text);
            }
        };
        page.PageError += (_, e) => errors.Add("page: " + e.Message);
        page.RequestFailed += (_, e) => errors.Add("request failed: " + e.Request.Url);

        await page.GoToAsync(new Uri(report.IndexPath).AbsoluteUri, new NavigationOptions { WaitUntil = [WaitUntilNavigation.Load], Timeout = 60_000 });
        var images = await page.EvaluateExpressionAsync<ImageState[]>(
            "Array.from(document.images).map(image => ({ src: image.src, naturalWidth: image.naturalWidth }))");
        var text = await page.EvaluateExpressionAsync<string>("document.body.innerText");
        var scripts = await page.EvaluateExpressionAsync<int>("document.scripts.length");

        Assert.True(images.Length >= 10, $"only {images.Length} images on the page");
        Assert.All(images, image => Assert.True(image.NaturalWidth > 0, $"{image.Src} did not load"));
        Assert.Empty(errors);
        Assert.Contains(StudyStore.ScriptNote, text);
        Assert.Equal(0, scripts);
    }
}
