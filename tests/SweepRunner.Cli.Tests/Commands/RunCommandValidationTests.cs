using System.Text.Json;
using SweepRunner.Cli.Tests.Support;

namespace SweepRunner.Cli.Tests.Commands;

/// <summary>validation_split end to end: planned without the held-out images, validated after each epoch, exported and reported.</summary>
public class RunCommandValidationTests : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("sweeprunner-validation-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    string Sweep(string name) => $"""
        name: {name}
        dataset: {Path.Combine(CliProcess.RepoRoot, "datasets", "demo-person").Replace('\\', '/')}
        base:
          pretrained_model_name_or_path: demo
          resolution: 64
          max_train_epochs: 2
          num_repeats: 1
          train_batch_size: 4
          network_dim: 4
          network_alpha: 4
          learning_rate: 1e-3
          seed: 7
          validation_split: 0.25
        baseline_label: base
        ofat:
          learning_rate: [1e-3, 1e-2]
        """;

    static Dictionary<string, JsonElement> Export(string sweep, string results)
    {
        var export = CliProcess.Run(CliProcess.RepoRoot, "export", sweep, "--format", "json", "--results", results);
        Assert.True(export.ExitCode == 0, export.Out + export.Error);
        using var json = JsonDocument.Parse(export.Out);
        return json.RootElement.GetProperty("jobs").EnumerateArray().ToDictionary(r => r.GetProperty("label").GetString()!, r => r.Clone());
    }

    [Fact]
    public void EveryJobIsValidatedOnTheSameHeldOutImagesAndASecondRunOfAJobGetsTheSameLoss()
    {
        var sweep = Path.Combine(_root, "val.yaml");
        File.WriteAllText(sweep, Sweep("val"));
        var results = Path.Combine(_root, "results");
        var run = CliProcess.Run(CliProcess.RepoRoot, "run", sweep, "--results", results);
        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Contains("2 succeeded", run.Out);
        Assert.Matches(@"epoch 2 validation loss \d\.\d{4} over 4 image\(s\), best epoch so far [12]", run.Out);
        var status = CliProcess.Run(CliProcess.RepoRoot, "status", "val", "--results", results);
        Assert.Contains("validation loss (best epoch)", status.Out);
        Assert.Matches(@"\d\.\d{4} \(e[12]\)", status.Out);
        var statusJson = CliProcess.Run(CliProcess.RepoRoot, "status", "val", "--json", "--results", results);
        using (var json = JsonDocument.Parse(statusJson.Out))
            Assert.All(json.RootElement.GetProperty("sweeps")[0].GetProperty("jobs").EnumerateArray(),
                job => Assert.InRange(job.GetProperty("best_epoch").GetInt64(), 1, 2));

        var rows = Export("val", results);
        // 16 images, a quarter held out: 12 train, batch 4, 3 steps an epoch.
        Assert.All(rows.Values, row => Assert.Equal(3, row.GetProperty("steps_per_epoch").GetInt64()));
        var histories = rows.ToDictionary(r => r.Key, r => r.Value.GetProperty("validation").EnumerateArray()
            .Select(p => (p.GetProperty("epoch").GetInt64(), p.GetProperty("images").GetInt32(), p.GetProperty("loss").GetDouble())).ToList());
        Assert.All(histories.Values, history => Assert.Equal([(1L, 4), (2L, 4)], history.Select(p => (p.Item1, p.Item2))));
        Assert.NotEqual(histories["base"][1].Item3, histories["learning_rate=0.01"][1].Item3);
        Assert.All(rows.Values, row => Assert.InRange(row.GetProperty("best_epoch").GetInt64(), 1, 2));

        // The same job in another results folder, in another process: the same validation loss, to the digit.
        var again = Path.Combine(_root, "again.yaml");
        File.WriteAllText(again, Sweep("again").Replace("learning_rate: [1e-3, 1e-2]", "learning_rate: [1e-3]", StringComparison.Ordinal));
        var second = Path.Combine(_root, "second");
        Assert.Equal(0, CliProcess.Run(CliProcess.RepoRoot, "run", again, "--results", second).ExitCode);
        Assert.Equal(rows["base"].GetProperty("validation").GetRawText(), Export("again", second)["base"].GetProperty("validation").GetRawText());

        var report = CliProcess.Run(CliProcess.RepoRoot, "report", "val", "--results", results, "--out", Path.Combine(_root, "report"));
        Assert.True(report.ExitCode == 0, report.Out + report.Error);
        Assert.True(File.Exists(Path.Combine(_root, "report", "charts", "learning-rate-validation.png")));
        Assert.Contains("validation loss (best epoch)", File.ReadAllText(Path.Combine(_root, "report", "index.html")));
    }
}
