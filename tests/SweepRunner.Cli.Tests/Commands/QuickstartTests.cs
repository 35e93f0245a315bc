using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SweepRunner.Cli.Tests.Support;
using SweepRunner.Store;
using SweepRunner.Core.Results;

namespace SweepRunner.Cli.Tests.Commands;

/// <summary>The README's main command, end to end on CPU: the quickstart sweep on the bundled demo model.</summary>
public class QuickstartTests : IDisposable
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
            Assert.True(File.Exists(Path.Combine(folder, $"{label}-000002.safetensors")), label);
            Assert.True(File.Exists(Path.Combine(folder, $"{label}.safetensors")), label);
            var previews = await store.GetPreviewsAsync(job.JobId);
            Assert.Equal([(2L, 0), (2L, 1), (4L, 0), (4L, 1)], previews.Select(p => (p.Image.Epoch, p.Image.PromptIndex)).Order());
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

        // The subject wears a red shirt; the demo model has never seen it. With the LoRA, the same prompts and
        // seeds draw clearly more shirt-red pixels than the base model alone.
        var lora = Path.Combine(_results, "quickstart", "network_alpha=64", "network_alpha=64.safetensors");
        double withLora = 0, without = 0;
        foreach (var seed in new[] { "1", "2", "3" })
        {
            without += RedShare(Sample(seed, null));
            withLora += RedShare(Sample(seed, lora));
        }
        var training = Directory.GetFiles(Path.Combine(CliProcess.RepoRoot, "datasets", "demo-person", "5_person"), "*.png").Average(RedShare);
        Assert.True(training > 0.05, $"training images: {training}");
        Assert.True(withLora / 3 > without / 3 + 0.005, $"red share with LoRA {withLora / 3:0.0000}, without {without / 3:0.0000}, training images {training:0.0000}");
    }

    string Sample(string seed, string? lora)
    {
        var output = Path.Combine(_results, $"sample-{seed}-{(lora == null ? "base" : "lora")}.png");
        string[] args = ["sample", "--model", "demo", "--prompt", "a photo of sks person, blue background", "--seed", seed,
            "--steps", "20", "--cfg", "5", "--width", "64", "--height", "64", "--out", output];
        var result = CliProcess.Run(CliProcess.RepoRoot, lora == null ? args : [.. args, "--lora", lora]);
        Assert.True(result.ExitCode == 0, result.Out + result.Error);
        return output;
    }

    static double RedShare(string png)
    {
        using var image = Image.Load<Rgb24>(png);
        var red = 0;
        for (var y = 0; y < image.Height; y++)
        for (var x = 0; x < image.Width; x++)
        {
            var p = image[x, y];
            if (p.R > 140 && p.G < 100 && p.B < 100) red++;
        }
        return (double)red / (image.Width * image.Height);
    }
}
