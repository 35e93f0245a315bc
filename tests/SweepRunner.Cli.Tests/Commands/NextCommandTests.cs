using SweepRunner.Cli.Tests.Support;
using SweepRunner.TestSupport;

namespace SweepRunner.Cli.Tests.Commands;

/// <summary><c>sweeprunner next</c>: writes the next sweep file from a results database with given scores, and it plans.</summary>
public class NextCommandTests : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("sweeprunner-next-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task NextWritesASweepThatPlansAndRefusesToOverwriteIt()
    {
        var (sweepFile, results, _) = await NextSweepStudy.CreateAsync(_root);

        var next = CliProcess.Run(CliProcess.RepoRoot, "next", sweepFile, "--results", results);
        Assert.True(next.ExitCode == 0, next.Out + next.Error);
        var written = Path.Combine(_root, "sweeps", "nexttest.next.yaml");
        Assert.Equal(written, next.Out.Trim());
        Assert.Contains("network_alpha: refined", next.Error);
        Assert.Contains("lr_warmup_steps: dropped", next.Error);
        var text = File.ReadAllText(written);
        Assert.Contains("  network_alpha: 64\n", text);

        var plan = CliProcess.Run(CliProcess.RepoRoot, "plan", written, "--results", Path.Combine(_root, "none"));
        Assert.True(plan.ExitCode == 0, plan.Out + plan.Error);
        Assert.Contains("network_alpha=256", plan.Out);

        var again = CliProcess.Run(CliProcess.RepoRoot, "next", sweepFile, "--results", results);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("exists; give another --out, or --force", again.Error);
        Assert.Equal(text, File.ReadAllText(written));
        Assert.Equal(0, CliProcess.Run(CliProcess.RepoRoot, "next", sweepFile, "--results", results, "--out", Path.Combine(_root, "other.yaml")).ExitCode);
        // Paths are relative to the file written: from another folder the dataset line names the same folder.
        var dataset = File.ReadAllLines(Path.Combine(_root, "other.yaml")).Single(line => line.StartsWith("dataset: ", StringComparison.Ordinal))["dataset: ".Length..];
        Assert.False(Path.IsPathRooted(dataset), dataset);
        Assert.Equal(Path.Combine(CliProcess.RepoRoot, "datasets", "demo-person"), Path.GetFullPath(Path.Combine(_root, dataset)));
    }
}
