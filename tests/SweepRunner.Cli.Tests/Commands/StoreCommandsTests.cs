using System.Text.Json;
using SweepRunner.Cli.Tests.Support;

namespace SweepRunner.Cli.Tests.Commands;

/// <summary>plan --save, status and export against a real results database in a temporary folder.</summary>
public class StoreCommandsTests : IDisposable
{
    readonly string _results = Directory.CreateTempSubdirectory("sweeprunner-results-").FullName;

    public void Dispose() => Directory.Delete(_results, recursive: true);

    CliResult Run(params string[] args) => CliProcess.Run(CliProcess.RepoRoot, [.. args, "--results", _results]);

    [Fact]
    public void SavingTwiceRegistersTheSweepOnceAndStatusAndExportShowEveryLabel()
    {
        var first = Run("plan", "sweeps/lora-25-patterns.yaml", "--save");
        Assert.True(first.ExitCode == 0, first.Error);
        Assert.Contains("new, 19 new job(s), 0 already known", first.Out);
        var second = Run("plan", "sweeps/lora-25-patterns.yaml", "--save", "--json");
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("updated, 0 new job(s), 19 already known", second.Error);
        using (JsonDocument.Parse(second.Out)) { }

        var status = Run("status", "lora-25-patterns", "--json");
        Assert.True(status.ExitCode == 0, status.Error);
        using var json = JsonDocument.Parse(status.Out);
        var sweep = Assert.Single(json.RootElement.GetProperty("sweeps").EnumerateArray());
        var jobs = sweep.GetProperty("jobs").EnumerateArray().ToList();
        Assert.Equal(21, jobs.Count);
        Assert.All(jobs, j => Assert.Equal("planned", j.GetProperty("state").GetString()));
        Assert.Equal("13", jobs.Single(j => j.GetProperty("label").GetString() == "23").GetProperty("duplicate_of_label").GetString());
        Assert.Equal(19, sweep.GetProperty("remaining_jobs").GetInt32());

        var csvPath = Path.Combine(_results, "export.csv");
        var export = Run("export", "lora-25-patterns", "--format", "csv", "--out", csvPath);
        Assert.True(export.ExitCode == 0, export.Error);
        var lines = File.ReadAllLines(csvPath);
        Assert.Equal(22, lines.Length);
        Assert.StartsWith("sweep,label,job_id", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("lora-25-patterns,25,"));
    }

    [Fact]
    public void UnknownSweepsAndFormatsAreInputErrors()
    {
        Assert.Equal(0, Run("plan", "sweeps/lora-25-patterns.yaml", "--save").ExitCode);
        var unknown = Run("export", "nope");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("no sweep named 'nope'", unknown.Error);
        Assert.Contains("it holds: lora-25-patterns", unknown.Error);
        Assert.NotEqual(0, Run("export", "lora-25-patterns", "--format", "xml").ExitCode);
    }

    [Fact]
    public void StatusWithoutADatabaseSaysHowToMakeOne()
    {
        var result = Run("status");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("plan <sweep.yaml> --save", result.Error);
        Assert.False(File.Exists(Path.Combine(_results, "sweeprunner.db")));
    }
}
