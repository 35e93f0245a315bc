using SweepRunner.DemoBuilder;
using System.Security.Cryptography;
using System.Text.Json;
using SweepRunner.Cli.Tests.Support;
using SweepRunner.Core.Scoring;
using SweepRunner.Store;
using SweepRunner.TestSupport;

namespace SweepRunner.Cli.Tests.Commands;

/// <summary>Automatic scores end to end: computed as jobs finish (auto_scores:), shown by status and export, and added later by autoscore.</summary>
public class AutoScoreCommandTests : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("sweeprunner-autoscore-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    static readonly string[] Captions = ["a photo of sks person, blue background", "a photo of sks person, yellow background", "sks person"];

    [Fact]
    public async Task PreviewsAreScoredAsJobsFinishAndAutoscoreAddsOnlyWhatANewModelHasNotScored()
    {
        var dataset = Path.Combine(CliProcess.RepoRoot, "datasets", "demo-person");
        RandomImageEncoders.WriteClip(Path.Combine(_root, "models", "clip"), 1, Captions);
        RandomImageEncoders.WriteDino(Path.Combine(_root, "models", "dino"), 2);
        var sweep = Path.Combine(_root, "auto.yaml");
        File.WriteAllText(sweep, $"""
            name: auto
            dataset: {dataset.Replace('\\', '/')}
            auto_scores: {"{"} clip: models/clip, dino: models/dino {"}"}
            base:
              pretrained_model_name_or_path: demo
              resolution: 64
              max_train_epochs: 1
              num_repeats: 1
              train_batch_size: 4
              network_dim: 4
              network_alpha: 4
              learning_rate: 1e-3
              sample_every_n_epochs: 1
              sample_prompts: {Path.Combine(CliProcess.RepoRoot, "sweeps", "prompts", "quickstart.txt").Replace('\\', '/')}
            ofat:
              network_alpha: [1]
            """);
        var results = Path.Combine(_root, "results");

        var run = CliProcess.Run(CliProcess.RepoRoot, "run", sweep, "--results", results);
        Assert.True(run.ExitCode == 0, run.Out + run.Error);

        var store = await ResultsStore.OpenForReadingAsync(results);
        var scores = await store.GetAutoScoresAsync("auto");
        var previews = (await store.GetSweepGalleryAsync("auto")).Jobs.Sum(job => job.Previews.Count);
        Assert.True(previews >= 4, $"{previews} previews");
        Assert.Equal(3 * previews, scores.Count);
        Assert.All(scores, score => Assert.InRange(score.Value, -1, 1));
        // The training images were embedded once per model, not once per job.
        var image = Directory.GetFiles(Directory.GetDirectories(dataset)[0], "*.png")[0];
        var hash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(image)));
        foreach (var model in scores.Where(s => s.Metric != AutoMetric.ClipT).Select(s => s.ModelSha256).Distinct())
            Assert.NotNull(await store.GetImageEmbeddingAsync(model, hash));

        var status = CliProcess.Run(CliProcess.RepoRoot, "status", "auto", "--json", "--results", results);
        using (var json = JsonDocument.Parse(status.Out))
            Assert.All(json.RootElement.GetProperty("sweeps")[0].GetProperty("jobs").EnumerateArray(), job =>
                Assert.Equal(["clip-i", "dino", "clip-t"], job.GetProperty("auto_scores").EnumerateArray().Select(s => s.GetProperty("metric").GetString())));
        Assert.Contains("automatic scores", CliProcess.Run(CliProcess.RepoRoot, "status", "auto", "--results", results).Out);

        // Another CLIP model scores CLIP-I and CLIP-T again beside the first; the DINO model has scored everything already.
        RandomImageEncoders.WriteClip(Path.Combine(_root, "models", "clip2"), 9, Captions);
        var again = CliProcess.Run(_root, "autoscore", "auto", "--clip", "models/clip2", "--dino", "models/dino", "--results", results);
        Assert.True(again.ExitCode == 0, again.Out + again.Error);
        Assert.Equal((2 * previews).ToString(System.Globalization.CultureInfo.InvariantCulture), again.Out.Trim());
        Assert.Contains($"CLIP-I {previews}, DINO 0, CLIP-T {previews} new score(s)", again.Error);
        Assert.Equal("0", CliProcess.Run(_root, "autoscore", "auto", "--results", results).Out.Trim());
        Assert.Equal(5 * previews, (await store.GetAutoScoresAsync("auto")).Count);

        var broken = CliProcess.Run(_root, "autoscore", "auto", "--clip", "models/none", "--results", results);
        Assert.Equal(1, broken.ExitCode);
        Assert.Contains("does not exist; download a CLIP model", broken.Error);
    }
}
