using SweepRunner.Cli.Tests.Support;
using Spectre.Console;
using SweepRunner.Cli.Hosting;
using SweepRunner.Core.Results;
using SweepRunner.Store;

namespace SweepRunner.Cli.Tests.Commands;

/// <summary>
/// A results folder on a read-only mount (root cannot write it either): reading commands work, writing ones end with one
/// line that names what is not writable, never a stack trace.
/// </summary>
public sealed class ReadOnlyResultsTests : IDisposable
{
    readonly TemporaryFolder _folder = new();
    readonly TemporaryFolder _writable = new();

    public void Dispose()
    {
        _folder.Dispose();
        _writable.Dispose();
    }

    static CliResult Run(params string[] args) => InProcessCli.Run(args);

    async Task<ReadOnlyMount> ReadOnlyResultsAsync()
    {
        var store = await ResultsStore.OpenAsync(_folder.Path);
        await store.RegisterSweepAsync(Sweeps.Sweep("ro", Sweeps.Job(8), Sweeps.Job(16)));
        var attempt = await store.StartAttemptAsync(new AttemptStart("job-dim16", "host", 1, "cuda"));
        await store.FinishAttemptAsync(attempt, AttemptOutcome.Failed, "worker process failed before training: --device cuda: CUDA is not available (exit code 1)\nmore lines");
        return new ReadOnlyMount(_folder.Path);
    }

    [Fact]
    public async Task Status_export_and_report_to_a_writable_folder_read_a_read_only_results_folder()
    {
        using var mount = await ReadOnlyResultsAsync();

        var status = Run("status", "ro", "--results", _folder.Path);
        Assert.True(status.ExitCode == 0, status.Error);
        Assert.Contains("reason", status.Out);
        Assert.Contains("worker process failed before training: --device cuda: CUDA is not available (exit code 1)", status.Out);
        Assert.DoesNotContain("more lines", status.Out);
        var json = Run("status", "ro", "--json", "--results", _folder.Path);
        Assert.Contains("\"reason\": \"worker process failed before training: --device cuda", json.Out);
        var export = Run("export", "ro", "--format", "csv", "--results", _folder.Path);
        Assert.True(export.ExitCode == 0, export.Error);
        Assert.Contains("dim16", export.Out);
        var report = Run("report", "ro", "--results", _folder.Path, "--out", Path.Combine(_writable.Path, "report"));
        Assert.True(report.ExitCode == 0, report.Error);
        Assert.Contains("worker process failed before training: --device cuda", File.ReadAllText(Path.Combine(_writable.Path, "report", "index.html")));
    }

    [Theory]
    [InlineData("report", "ro")]
    [InlineData("export", "ro", "--format", "csv", "--out", "{results}/x.csv")]
    [InlineData("score", "ro", "dim8", "50")]
    [InlineData("plan", "{sweep}", "--save")]
    [InlineData("run", "{sweep}")]
    public async Task Writing_into_a_read_only_results_folder_is_one_line_naming_it(params string[] command)
    {
        var sweep = Path.Combine(_writable.Path, "ro.yaml");
        File.WriteAllText(sweep, $"name: ro\ndataset: {RepositoryFiles.Path("datasets/demo-person").Replace('\\', '/')}\nbase: {{ pretrained_model_name_or_path: demo, resolution: 64 }}\nlist:\n  - {{ label: a }}\n");
        using var mount = await ReadOnlyResultsAsync();

        var (exitCode, output, error) = Run([.. command.Select(a => a.Replace("{results}", _folder.Path).Replace("{sweep}", sweep)), "--results", _folder.Path]);

        Assert.True(exitCode is 1 or 2, $"exit code {exitCode}\n{output}\n{error}");
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.Contains(_folder.Path, line);
        Assert.DoesNotContain("   at ", error);
        Assert.DoesNotContain("SqliteException", error);
    }
}
