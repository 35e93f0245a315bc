using System.Diagnostics;

namespace SweepRunner.Store.Tests.Support;

/// <summary>Starts the test writer (a separate OS process writing to the same database) with the running dotnet host.</summary>
public static class WriterProcess
{
    public static Process Start(params string[] arguments)
    {
        var writer = Path.Combine(AppContext.BaseDirectory, "test-writer", "SweepRunner.Store.TestWriter.dll");
        Assert.True(File.Exists(writer), $"the test writer is missing at {writer}; build the test project");
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(writer);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("the test writer did not start");
    }

    private static string DotnetHost()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            return host;
        }

        var current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
    }
}
