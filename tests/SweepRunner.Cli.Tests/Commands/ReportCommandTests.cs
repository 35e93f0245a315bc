using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SweepRunner.Cli.Tests.Support;
using SweepRunner.Store;
using SweepRunner.Core.Results;

namespace SweepRunner.Cli.Tests.Commands;

/// <summary>report against a real results database: the 25-pattern study planned, two of its jobs trained and scored through the store.</summary>
public class ReportCommandTests : IDisposable
{
    readonly string _results = Directory.CreateTempSubdirectory("sweeprunner-report-").FullName;

    public void Dispose() => Directory.Delete(_results, recursive: true);

    CliResult Run(params string[] args) => CliProcess.Run(CliProcess.RepoRoot, [.. args, "--results", _results]);

    [Fact]
    public async Task ReportWritesTheFolderUnderResultsAndPrintsTheIndexPath()
    {
        Assert.Equal(0, Run("plan", "sweeps/lora-25-patterns.yaml", "--save").ExitCode);
        var store = await ResultsStore.OpenAsync(_results);
        var rows = (await store.GetSweepExportAsync("lora-25-patterns")).Rows;
        await TrainAsync(store, rows.Single(row => row.Label == "3").JobId, seconds: 2700, [90, 88, 92]);
        await TrainAsync(store, rows.Single(row => row.Label == "5").JobId, seconds: 2750, [60, 55, 65]);

        var result = Run("report", "lora-25-patterns");

        Assert.True(result.ExitCode == 0, result.Error);
        var index = Path.Combine(_results, "reports", "lora-25-patterns", "index.html");
        Assert.Equal(index, result.Out.Trim());
        Assert.Contains("drawing charts", result.Error);
        var html = File.ReadAllText(index);
        Assert.Contains("Sweep report: lora-25-patterns", html);
        Assert.Contains("network_alpha", html);
        Assert.True(File.Exists(Path.Combine(_results, "reports", "lora-25-patterns", "data.csv")));
    }

    [Fact]
    public void AnUnknownSweepNamesTheResultsFolderAndTheKnownSweeps()
    {
        Assert.Equal(0, Run("plan", "sweeps/lora-25-patterns.yaml", "--save").ExitCode);

        var result = Run("report", "nope", "--out", Path.Combine(_results, "out"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no sweep named 'nope'", result.Error);
        Assert.Contains(_results, result.Error);
        Assert.Contains("it holds: lora-25-patterns", result.Error);
        Assert.False(Directory.Exists(Path.Combine(_results, "out")));
    }

    [Fact]
    public void WithoutADatabaseTheReportSaysHowToMakeOne()
    {
        var result = Run("report", "any");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no results database", result.Error);
    }

    static async Task TrainAsync(ResultsStore store, string jobId, double seconds, double[] scores)
    {
        var attempt = await store.StartAttemptAsync(new AttemptStart(jobId, "host", 1, "cpu"));
        await store.AddMetricsAsync(attempt, [new MetricPoint(10, 1, 0.3, 1e-4, 3), new MetricPoint(20, 2, 0.2, 1e-4, 3)]);
        var path = Path.Combine(store.ResultsFolder, "lora-25-patterns", jobId, "sample", "p_e000002_00.png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using (var image = new Image<Rgba32>(32, 32, new Rgba32(200, (byte)(seconds % 255), 40)))
        {
            image.SaveAsPng(path);
        }

        var preview = await store.RecordPreviewAsync(attempt, new PreviewImage(2, 0, "a photo of sks person", "", 42, "ddim", 20, 7, 32, 32, ArtifactFile.Describe(store.ResultsFolder, path)));
        await store.FinishAttemptAsync(attempt, AttemptOutcome.Succeeded, timings: new PhaseTimings(1, 1, seconds, 1, 1));
        for (var index = 0; index < scores.Length; index++)
        {
            await store.AddPreviewScoreAsync(preview, new ScoreEntry($"scorer{index}", scores[index], Blind: true));
        }
    }

}
