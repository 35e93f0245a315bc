namespace SweepRunner.Reports.Tests.Support;

/// <summary>The installed Chromium the browser tests drive; never downloaded by the tests.</summary>
public static class Chromium
{
    public const string EnvironmentVariable = "SWEEPRUNNER_CHROMIUM";
    public const string DefaultPath = "/usr/bin/chromium";

    /// <summary>The executable from SWEEPRUNNER_CHROMIUM or /usr/bin/chromium; fails the test with what to do when missing.</summary>
    public static string RequireExecutable()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        var path = string.IsNullOrWhiteSpace(configured) ? DefaultPath : configured;
        Assert.True(
            File.Exists(path),
            $"Chromium not found at '{path}' (set {EnvironmentVariable} to choose another). ./test.sh installs it (apt-get install chromium).");
        return path;
    }
}
