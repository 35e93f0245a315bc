using SweepRunner.Cli.Tests.Support;

namespace SweepRunner.Cli.Tests.Commands;

/// <summary>plan and run refuse a preview prompt file the model cannot render, before anything trains.</summary>
public sealed class PlanPromptFileTests : IDisposable
{
    readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    string Sweep(string prompts)
    {
        var data = Path.Combine(CliProcess.RepoRoot, "datasets", "demo-person");
        File.WriteAllText(Path.Combine(_folder.Path, "prompts.txt"), prompts);
        var sweep = Path.Combine(_folder.Path, "s.yaml");
        File.WriteAllText(sweep, $"name: s\ndataset: '{data}'\nbase:\n  pretrained_model_name_or_path: demo\n  sample_every_n_epochs: 1\n  sample_prompts: prompts.txt\nlist:\n  - {{ label: a }}\n");
        return sweep;
    }

    [Theory]
    [InlineData("plan")]
    [InlineData("run")]
    public void A_prompt_line_with_an_impossible_size_exits_2_naming_file_line_and_rule(string command)
    {
        var sweep = Sweep("a cat --w 512\na cat --w 999999999 --h 999999999\n");
        var results = Path.Combine(_folder.Path, "results");

        var result = InProcessCli.Run(command, sweep, "--results", results);

        Assert.True(result.ExitCode == 2, result.Out + result.Error);
        var file = Path.Combine(_folder.Path, "prompts.txt");
        Assert.Contains($"error: {file}:2: --w 999999999: width must be a multiple of 64 between 64 and 2048. Write e.g. --w 2048", result.Error, StringComparison.Ordinal);
        Assert.Contains($"error: {file}:2: --h 999999999: height must be", result.Error, StringComparison.Ordinal);
        Assert.Contains("nothing was planned", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(results, "s")), "no job output may exist");
    }
}
