using System.Text.Json;
using SweepRunner.Cli.Tests.Support;

namespace SweepRunner.Cli.Tests.Commands;

public class PlanCommandTests
{
    [Fact]
    public void JsonPlanOfTheStudyHasEveryJobWithItsSettingsAndTotals()
    {
        var result = CliProcess.Run(CliProcess.RepoRoot, "plan", "sweeps/lora-25-patterns.yaml", "--json");
        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Out);
        var root = json.RootElement;
        Assert.Equal("lora-25-patterns", root.GetProperty("sweep").GetString());
        var jobs = root.GetProperty("jobs").EnumerateArray().ToList();
        var baseline = jobs.Single(j => j.GetProperty("label").GetString() == "3");
        Assert.Matches("^[0-9a-f]{16}$", baseline.GetProperty("id").GetString());
        Assert.Equal(450, baseline.GetProperty("steps_per_epoch").GetInt64());
        Assert.Equal(9000, baseline.GetProperty("total_steps").GetInt64());
        Assert.Equal(JsonValueKind.Null, baseline.GetProperty("duplicate_of").ValueKind);
        Assert.Equal(3000.0, baseline.GetProperty("estimated_seconds").GetDouble());
        var settings = baseline.GetProperty("settings");
        Assert.Equal("Adafactor", settings.GetProperty("optimizer_type").GetString());
        Assert.Equal(128, settings.GetProperty("network_dim").GetInt64());
        Assert.Equal(1e-4, settings.GetProperty("learning_rate").GetDouble());
        Assert.Equal("guess", baseline.GetProperty("estimate_basis").GetString());
        Assert.Equal(JsonValueKind.Null, baseline.GetProperty("duplicate_reason").ValueKind);
        var duplicate = jobs.Single(j => j.GetProperty("label").GetString() == "24");
        Assert.Equal("13", duplicate.GetProperty("duplicate_of").GetString());
        Assert.Equal("learning_rate has no effect (Adafactor with relative_step computes its own step size)", duplicate.GetProperty("duplicate_reason").GetString());
        // Pattern 13 trains 4 images per step: 2260 steps at a quarter of the 3 steps/s of one image per step.
        Assert.Equal(3013.33, jobs.Single(j => j.GetProperty("label").GetString() == "13").GetProperty("estimated_seconds").GetDouble());
        var totals = root.GetProperty("totals");
        Assert.Equal(jobs.Count, totals.GetProperty("jobs").GetInt32());
        Assert.Equal(jobs.Count - 2, totals.GetProperty("unique_jobs").GetInt32());
    }

    [Fact]
    public void TableShowsLabelsDiffsAndTotals()
    {
        var result = CliProcess.Run(CliProcess.RepoRoot, "plan", "sweeps/lora-25-patterns.yaml");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("clip_skip=2", result.Out);
        Assert.Matches(@"jobs \d+, unique \d+, excluded 0, total steps \d+", result.Out);
        Assert.Contains("~50m00s (guess)", result.Out);
        // Pattern 10 trains only the 9,000 steps after pattern 3's: 9,000 steps at 3 steps/s (0.83 h) less than alone.
        Assert.Contains("estimated 15.86 h (guess: 3 steps/s at one 512x512 image a step, scaled by batch x accumulation x pixels/512²)", result.Out);
        Assert.Matches(@"\n  10 +max_train_epochs=40 .* 3 @ 9000", result.Out);
        Assert.Contains("steps to train 126060 of 139580 if every job trained alone (90.3%)", result.Out);
        Assert.Contains("24 is a duplicate of 13: learning_rate has no effect (Adafactor with relative_step computes its own step size)", result.Out);
    }

    [Fact]
    public void AnInvalidSweepExitsWithCode2AndNamesFileLineAndFix()
    {
        var dir = Directory.CreateTempSubdirectory("sweeprunner-cli-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(dir, "data"));
            File.WriteAllText(Path.Combine(dir, "bad.yaml"), "name: x\ndataset: data\nbase:\n  netwrk_dim: 8\nlist:\n  - { label: a }\n");
            var result = CliProcess.Run(dir, "plan", "bad.yaml");
            Assert.Equal(2, result.ExitCode);
            Assert.Contains("bad.yaml:4:3: unknown setting 'netwrk_dim'. Did you mean 'network_dim'?", result.Error);
            Assert.Contains("nothing was planned", result.Error);
            Assert.Equal("", result.Out.Trim());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
