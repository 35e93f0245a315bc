using PuppeteerSharp;

namespace SweepRunner.TestSupport;

/// <summary>
/// One headless Chromium for the browser tests: the system's browser (env SWEEPRUNNER_CHROMIUM, else
/// /usr/bin/chromium), never a downloaded one. A missing browser fails the tests, with what to do.
/// </summary>
public sealed class HeadlessChromium : IAsyncLifetime
{
    public const string EnvironmentVariable = "SWEEPRUNNER_CHROMIUM";
    public const string DefaultPath = "/usr/bin/chromium";

    private IBrowser? _browser;

    public static string ExecutablePath => Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } path ? path : DefaultPath;

    /// <summary>The executable the tests drive; fails the test with what to do when it is missing.</summary>
    public static string RequireExecutable()
    {
        Assert.True(File.Exists(ExecutablePath), MissingMessage());
        return ExecutablePath;
    }

    public IBrowser Browser => _browser ?? throw new InvalidOperationException(MissingMessage());

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            // Fail, not skip: the browser tests are the only tests of the page itself.
            throw new InvalidOperationException(MissingMessage());
        }

        _browser = await Puppeteer.LaunchAsync(new LaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-dev-shm-usage"],
            Timeout = 60_000,
        });
    }

    /// <summary>A page in a fresh browser context, so that localStorage starts empty.</summary>
    public async Task<(IBrowserContext Context, IPage Page)> NewPageAsync()
    {
        var context = await Browser.CreateBrowserContextAsync();
        var page = await context.NewPageAsync();
        page.DefaultTimeout = 20_000;
        await page.SetViewportAsync(new ViewPortOptions { Width = 1280, Height = 900 });
        return (context, page);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
            _browser.Dispose();
        }
    }

    private static string MissingMessage() =>
        $"Chromium was not found at {ExecutablePath}. Run ./test.sh, which installs Debian's chromium package, " +
        $"or set {EnvironmentVariable} to a Chromium executable.";
}
