using SweepRunner.DemoBuilder;
using Xunit.Abstractions;
using SweepRunner.Cli.Tests.Support;
using SweepRunner.Store;
using SweepRunner.Core.Results;

namespace SweepRunner.Cli.Tests.Commands;

/// <summary>The README's main command, end to end on CPU: the quickstart sweep on the bundled demo model.</summary>
public class QuickstartTests(ITestOutputHelper output) : IDisposable
{
    readonly string _results = Directory.CreateTempSubdirectory("sweeprunner-quickstart-").FullName;

    public void Dispose() => Directory.Delete(_results, recursive: true);

    static readonly string[] Succeeding = ["base", "network_alpha=1", "network_alpha=64", "optimizer_type=Adafactor", "optimizer_type=Lion"];

    [Fact]
    public async Task TheQuickstartTrainsEveryJobCatchesTheDivergentOneAndItsLoraChangesWhatTheModelDraws()
    {
        var run = CliProcess.Run(CliProcess.RepoRoot, "run", "sweeps/quickstart.yaml", "--results", _results);
        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Contains("5 succeeded, 0 failed, 1 diverged", run.Out);
        // Started as 'dotnet <tests>/sweeprunner.dll', the run prints its next commands the same way.
        Assert.Contains("sweeprunner.dll status quickstart --results ", run.Out);
        Assert.Contains("sweeprunner.dll report quickstart --results ", run.Out);

        var store = await ResultsStore.OpenAsync(_results);
        var status = await store.GetSweepStatusAsync("quickstart");
        foreach (var label in Succeeding)
        {
            var job = status.Jobs.Single(j => j.Label == label);
            Assert.Equal(JobState.Succeeded, job.State);
            var folder = Path.Combine(_results, "quickstart", label);
            Assert.True(File.Exists(Path.Combine(folder, $"{label}-000005.safetensors")), label);
            Assert.True(File.Exists(Path.Combine(folder, $"{label}.safetensors")), label);
            var previews = await store.GetPreviewsAsync(job.JobId);
            Assert.Equal([(5L, 0), (5L, 1), (10L, 0), (10L, 1)], previews.Select(p => (p.Image.Epoch, p.Image.PromptIndex)).Order());
            Assert.All(previews, p => Assert.True(File.Exists(Path.Combine(_results, p.Image.File.RelativePath))));
            Assert.Equal(2, (await store.GetCheckpointsAsync(job.JobId)).Count);
        }

        // Every phase of a finished job is timed: caching latents, rendering previews and saving files too.
        foreach (var row in (await store.GetSweepExportAsync("quickstart")).Rows.Where(r => r.State == JobState.Succeeded))
        {
            var timings = row.Timings!;
            Assert.True(timings.CacheSeconds > 0 && timings.SampleSeconds > 0 && timings.SaveSeconds > 0 && timings.TrainSeconds > 0,
                $"{row.Label}: load {timings.LoadSeconds}, cache {timings.CacheSeconds}, train {timings.TrainSeconds}, sample {timings.SampleSeconds}, save {timings.SaveSeconds}");
        }

        var report = CliProcess.Run(CliProcess.RepoRoot, "report", "quickstart", "--results", _results);
        Assert.True(report.ExitCode == 0, report.Out + report.Error);
        Assert.Contains("lion-diverges", await File.ReadAllTextAsync(Path.Combine(_results, "reports", "quickstart", "index.html")));

        var divergent = status.Jobs.Single(j => j.Label == "lion-diverges");
        Assert.Equal(JobState.Diverged, divergent.State);
        var attempt = Assert.Single(await store.GetAttemptsAsync(divergent.JobId));
        var step = int.Parse(System.Text.RegularExpressions.Regex.Match(attempt.ErrorText!, @"diverged at step (\d+)").Groups[1].Value);
        Assert.InRange(step, 1, 10);

        // The baseline's final previews show the background their prompt names (the demo model knows the dataset's
        // background colours). Issue 17's distance criteria (nearest training image at most 0.6x the base model's and
        // 1.5x the training set's leave-one-out distance) are measured here and printed but not met yet: README.md,
        // "What the quickstart's LoRA changes", has the numbers.
        var pairs = await FinalPreviewPairs.SampleAsync(_results, "quickstart", "base", _results);
        var training = Directory.GetFiles(Path.Combine(CliProcess.RepoRoot, "datasets", "demo-person", "5_person"), "*.png").Order().ToList();
        var likeness = PreviewLikeness.Measure(pairs, training, DemoDatasetGenerator.Backgrounds);
        output.WriteLine(likeness.ToString());
        if (Environment.GetEnvironmentVariable(PictureVariable) is { Length: > 0 } picture) BeforeAfterPicture.Write(pairs, Path.GetFullPath(picture, CliProcess.RepoRoot));
        Assert.Equal(2, pairs.Count);
        Assert.True(likeness.BackgroundsRight == pairs.Count, likeness.ToString());
    }

    /// <summary>When set, the test also writes the README's before/after picture of the baseline's final previews to this path.</summary>
    const string PictureVariable = "SWEEPRUNNER_QUICKSTART_PICTURE";
}
