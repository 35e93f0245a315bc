using SweepRunner.Core.Planning;
using SweepRunner.Core.Results;
using SweepRunner.Core.Running;
using SweepRunner.Core.Settings;
using SweepRunner.Core.Tests.Support;

namespace SweepRunner.Core.Tests.Running;

public sealed class JobSpecsTests
{
    static string SweepYaml(string extra = "") => $"""
        name: specs
        dataset: data
        base:
          pretrained_model_name_or_path: models/base.safetensors
          caption_extension: .txt
          sample_every_n_epochs: 1
          sample_prompts: prompts.txt
        {extra}
        list:
          - {"{"} label: a {"}"}
          - {"{"} label: b, network_dim: 8 {"}"}
          - {"{"} label: quiet, network_dim: 2, sample_every_n_epochs: null {"}"}
        """;

    [Fact]
    public void A_spec_holds_the_planned_settings_and_steps_with_every_path_resolved_against_the_sweep_folder()
    {
        using var temp = new TempSweep().AddFolder("2_person", 3);
        File.WriteAllText(temp.Path("prompts.txt"), "a photo of sks person --d 3\n");
        var plan = Plans.Of(temp.Write("specs.yaml", SweepYaml()));

        var specs = JobSpecs.From(plan, plan.UniqueJobs);

        Assert.Equal(["a", "b", "quiet"], specs.Select(s => s.Label));
        foreach (var (spec, job) in specs.Zip(plan.UniqueJobs))
        {
            Assert.Equal(("specs", job.Id, job.Steps.StepsPerEpoch, job.Steps.TotalSteps), (spec.SweepName, spec.JobId, spec.StepsPerEpoch, spec.TotalSteps));
            Assert.Equal(SettingsJson.Serialize(job.Settings), SettingsJson.Serialize(spec.Settings));
            Assert.Equal(temp.Dataset, spec.DatasetFolder);
            Assert.Equal((".txt", plan.Dataset.Fingerprint), (spec.CaptionExtension, spec.DatasetFingerprint));
            Assert.Equal(Path.Combine(temp.Root, "models", "base.safetensors"), spec.BaseModel);
        }
        var prompts = specs[0].SamplePrompts!;
        Assert.Equal((temp.Path("prompts.txt"), "a photo of sks person --d 3\n"), (prompts.Path, prompts.Text));
        Assert.Same(prompts, specs[1].SamplePrompts);
        // A job that renders no previews does not need the prompt file.
        Assert.Null(specs[2].SamplePrompts);
        Assert.Empty(specs[2].PreviewPrompts());
    }

    [Fact]
    public void The_preview_prompts_come_from_the_text_read_at_plan_time_not_from_the_file_later()
    {
        using var temp = new TempSweep().AddFolder("2_person", 1);
        File.WriteAllText(temp.Path("prompts.txt"), "# previews\na photo of sks person --w 256 --h 320 --d 5\n");
        var plan = Plans.Of(temp.Write("specs.yaml", SweepYaml()));
        var spec = JobSpecs.From(plan, plan.UniqueJobs).First();

        File.Delete(temp.Path("prompts.txt"));

        var prompt = Assert.Single(spec.PreviewPrompts());
        Assert.Equal(("a photo of sks person", 256, 320, 5L, 2), (prompt.Prompt, prompt.Width, prompt.Height, prompt.Seed!.Value, prompt.LineNumber));
    }

    [Fact]
    public void A_prompt_file_missing_when_an_older_version_planned_fails_the_job_that_needs_it_naming_the_file()
    {
        // Plan refuses a missing prompt file now; a spec stored before it did holds no text.
        using var temp = new TempSweep().AddFolder("2_person", 1);
        File.WriteAllText(temp.Path("prompts.txt"), "a photo of sks person\n");
        var plan = Plans.Of(temp.Write("specs.yaml", SweepYaml()));
        var spec = JobSpecs.From(plan, plan.UniqueJobs).First() with { SamplePrompts = new SamplePromptsSnapshot(temp.Path("prompts.txt"), null) };

        var error = Assert.Throws<FileNotFoundException>(() => spec.PreviewPrompts());
        Assert.Contains(temp.Path("prompts.txt"), error.Message);
    }

    [Fact]
    public void The_demo_model_stays_demo()
    {
        using var temp = new TempSweep().AddFolder("2_person", 1);
        var plan = Plans.Of(temp.Write("specs.yaml", "name: demo-specs\ndataset: data\nbase: { pretrained_model_name_or_path: demo }\nlist:\n  - { label: a }\n"));

        Assert.Equal(ModelFingerprint.DemoModel, Assert.Single(JobSpecs.From(plan, plan.UniqueJobs)).BaseModel);
    }

    [Fact]
    public void Settings_read_back_from_json_have_the_catalog_types_the_planner_gave_them()
    {
        var settings = Plans.Of(Path.Combine(Plans.RepoRoot, "sweeps", "quickstart.yaml")).UniqueJobs.First().Settings;

        var parsed = JobSpec.ParseSettings(SettingsJson.Serialize(settings));

        Assert.Equal(settings.Keys, parsed.Keys);
        foreach (var (key, value) in settings)
        {
            Assert.Equal(value?.GetType(), parsed[key]?.GetType());
            Assert.Equal(value, parsed[key]);
        }
        // network_alpha 16 is written as the JSON number 16 but is a number setting: it must come back a double.
        Assert.IsType<double>(parsed[SettingsCatalog.NetworkAlpha]);
        Assert.IsType<long>(parsed[SettingsCatalog.Epochs]);
    }

    [Fact]
    public void A_finished_message_carries_the_outcome_as_the_stores_word_and_reads_it_back()
    {
        var line = new JobFinished("job-1", AttemptOutcome.TimedOut, "limit").ToLine();

        Assert.Contains("\"outcome\":\"timed-out\"", line);
        Assert.Equal(new JobFinished("job-1", AttemptOutcome.TimedOut, "limit"), WorkerMessage.Parse(line));
        Assert.Null(WorkerMessage.Parse(line.Replace("timed-out", "exploded")));
    }
}
