namespace SweepRunner.Web.Tests.Support;

/// <summary>The browser tests share one headless Chromium (xunit needs the definition in the tests' own assembly).</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<HeadlessChromium>
{
    public const string Name = "headless chromium";
}
