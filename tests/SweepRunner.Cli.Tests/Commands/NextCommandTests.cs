using SweepRunner.Cli.Tests.Support;

namespace SweepRunner.Cli.Tests.Commands;

/// <summary><c>sweeprunner next</c> on a results database with given scores (nothing is trained): the file it writes, and its refusals.</summary>
public class NextCommandTests : IDisposable
{
    readonly TemporaryFolder _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task Next_writes_a_sweep_that_plans_and_refuses_to_overwrite_it()
    {
        var (sweepFile, results, _) = await NextSweepStudy.CreateAsync(_root.Path);

        var next = InProcessCli.Run("next", sweepFile, "--results", results);
        Assert.True(next.ExitCode == 0, next.Out + next.Error);
        var written = Path.Combine(_root.Path, "sweeps", "nexttest.next.yaml");
        Assert.Equal(written, next.Out.Trim());
        Assert.Contains("  network_alpha: refined around 64: [32, 256], base network_alpha = 64\n", next.Error);
        Assert.Contains("  learning_rate: refined around 0.001: [0.000316, 0.00316]\n", next.Error);
        Assert.Contains("  optimizer_type: not distinguishable, swept again with 3 seeds: [Lion]\n", next.Error);
        Assert.Contains("  lr_warmup_steps: dropped, it changed nothing that was trained\n", next.Error);
        var text = File.ReadAllText(written);
        Assert.Contains("\n  network_alpha: 64\n", text);
        Assert.Contains("\nreplicates: 3\n", text);
        Assert.Contains("\ndataset: ../datasets/person\n", text);

        // It plans as written, with the real program.
        var plan = InProcessCli.Run("plan", written, "--results", Path.Combine(_root.Path, "none"));
        Assert.True(plan.ExitCode == 0, plan.Out + plan.Error);
        Assert.Contains("network_alpha=256", plan.Out);

        // An existing file is kept unless --force; left alone, it is unchanged.
        File.AppendAllText(written, "# my edit\n");
        var again = InProcessCli.Run("next", sweepFile, "--results", results);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains($"'{written}' exists; give another --out, or --force to replace it", again.Error);
        Assert.EndsWith("# my edit\n", File.ReadAllText(written));
        Assert.Equal(0, InProcessCli.Run("next", sweepFile, "--results", results, "--force").ExitCode);
        Assert.DoesNotContain("# my edit", File.ReadAllText(written));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(written)!, "*.tmp*"));
    }

    [Fact]
    public async Task Next_takes_the_sweeps_name_and_writes_paths_relative_to_the_new_file()
    {
        var (_, results, _) = await NextSweepStudy.CreateAsync(_root.Path);
        var other = Path.Combine(_root.Path, "other.yaml");

        var next = InProcessCli.Run("next", NextSweepStudy.SweepName, "--results", results, "--out", other);
        Assert.True(next.ExitCode == 0, next.Out + next.Error);
        var lines = File.ReadAllLines(other);
        Assert.Contains("dataset: datasets/person", lines);
        Assert.Contains("  sample_prompts: sweeps/prompts/previews.txt", lines);
        Assert.Equal(0, InProcessCli.Run("plan", other, "--results", Path.Combine(_root.Path, "none")).ExitCode);

        var unknown = InProcessCli.Run("next", "nosuchsweep", "--results", results);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("'nosuchsweep' is neither a sweep file nor a sweep in", unknown.Error);
        Assert.Contains("(it has nexttest)", unknown.Error);
    }

    [Fact]
    public async Task Next_refuses_a_sweep_file_edited_since_its_results_were_recorded()
    {
        var (sweepFile, results, _) = await NextSweepStudy.CreateAsync(_root.Path);
        File.WriteAllText(sweepFile, NextSweepStudy.Yaml(baseLearningRate: "2e-3"));

        var next = InProcessCli.Run("next", sweepFile, "--results", results);
        Assert.Equal(1, next.ExitCode);
        Assert.Contains($"'{sweepFile}' is not the file the results of 'nexttest' were recorded for", next.Error);
        Assert.Contains("base: trained with other settings than the file now plans (learning_rate 0.001 → 0.002)", next.Error);
        Assert.False(File.Exists(Path.Combine(_root.Path, "sweeps", "nexttest.next.yaml")));
    }
}
