using SweepRunner.Core.Sweeps;
using SweepRunner.Core.Tests.Support;

namespace SweepRunner.Core.Tests.Planning;

/// <summary>plan reads every prompt file a job renders previews from, and refuses a bad one before anything trains.</summary>
public sealed class PromptFilePlanTests : IDisposable
{
    readonly TempSweep _temp = new TempSweep().AddFolder("5_cat", 2);

    public void Dispose() => _temp.Dispose();

    string Sweep(string baseExtra = "", string patterns = "  - { label: a }\n  - { label: b, network_dim: 8 }\n") =>
        _temp.Write("s.yaml", $"name: s\ndataset: data\nbase:\n  sample_every_n_epochs: 1\n  sample_prompts: prompts.txt\n{baseExtra}list:\n{patterns}");

    IReadOnlyList<SweepError> Refused(string sweepPath) =>
        Assert.Throws<SweepValidationException>(() => Plans.Of(sweepPath)).Errors;

    [Fact]
    public void A_size_the_model_cannot_take_is_refused_with_file_and_line()
    {
        File.WriteAllText(_temp.Path("prompts.txt"), "# previews\na cat --w 512 --h 512\na cat --w 999999999 --h 999999999\n");

        var errors = Refused(Sweep());

        Assert.Equal(2, errors.Count);
        Assert.StartsWith($"{_temp.Path("prompts.txt")}:3: --w 999999999: width must be a multiple of 64 between 64 and 2048. ", errors[0].ToString());
        Assert.StartsWith($"{_temp.Path("prompts.txt")}:3: --h 999999999: height must be", errors[1].ToString());
    }

    [Fact]
    public void A_missing_prompt_file_is_refused()
    {
        var error = Assert.Single(Refused(Sweep()));

        Assert.Equal(_temp.Path("prompts.txt"), error.Where.File);
        Assert.Equal("prompt file not found", error.Problem);
    }

    [Fact]
    public void A_file_without_prompts_is_refused_when_previews_are_asked_for_and_ignored_when_not()
    {
        File.WriteAllText(_temp.Path("prompts.txt"), "# nothing yet\n\n");

        var error = Assert.Single(Refused(Sweep()));
        Assert.Contains("has no prompts", error.Problem);
        Assert.Contains("job 'a' renders previews", error.Problem);

        var noPreviews = Plans.Of(Sweep(patterns: "  - { label: a, sample_every_n_epochs: null }\n"));
        Assert.Single(noPreviews.Jobs);
    }

    [Fact]
    public void Only_jobs_that_render_previews_need_their_prompt_file()
    {
        File.WriteAllText(_temp.Path("good.txt"), "a cat --w 512\n");

        var plan = Plans.Of(Sweep(patterns: "  - { label: a, sample_prompts: good.txt }\n  - { label: b, sample_every_n_epochs: null }\n"));

        Assert.Equal(2, plan.Jobs.Count);
    }

    [Fact]
    public void Every_prompt_file_of_the_sweep_is_checked_once_and_all_problems_are_listed()
    {
        File.WriteAllText(_temp.Path("prompts.txt"), "a cat --s 0\n");
        File.WriteAllText(_temp.Path("other.txt"), "a cat --ss dpm_2\n");

        var errors = Refused(Sweep(patterns: "  - { label: a }\n  - { label: b, network_dim: 8 }\n  - { label: c, sample_prompts: other.txt }\n"));

        Assert.Equal(2, errors.Count);
        Assert.Equal(_temp.Path("prompts.txt"), errors[0].Where.File);
        Assert.Equal(_temp.Path("other.txt"), errors[1].Where.File);
        Assert.Contains("sampler 'dpm_2' is not available", errors[1].Problem);
    }

    [Fact]
    public void Options_for_other_model_families_are_plan_warnings()
    {
        File.WriteAllText(_temp.Path("prompts.txt"), "a cat --g 3.5\n");

        var plan = Plans.Of(Sweep());

        Assert.Contains(plan.Warnings, w => w.Contains("prompts.txt:1: '--g 3.5' applies to other model families", StringComparison.Ordinal));
    }

    [Fact]
    public void The_bundled_sweeps_prompt_files_are_valid()
    {
        foreach (var sweep in new[] { "quickstart.yaml", "lora-25-patterns.yaml" })
            Assert.NotEmpty(Plans.Of(Path.Combine(Plans.RepoRoot, "sweeps", sweep)).Jobs);
    }
}
