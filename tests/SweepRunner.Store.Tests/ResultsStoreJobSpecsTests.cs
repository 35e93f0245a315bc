using SweepRunner.Core.Planning;
using SweepRunner.Core.Results;
using SweepRunner.Core.Running;
using SweepRunner.Core.Settings;
using SweepRunner.Core.Sweeps;
using SweepRunner.Store.Tests.Support;

namespace SweepRunner.Store.Tests;

public sealed class ResultsStoreJobSpecsTests
{
    static SweepPlan Quickstart() => new Planner().Plan(SweepFileParser.Load(RepositoryFiles.Path("sweeps/quickstart.yaml")));

    [Fact]
    public async Task A_recorded_spec_reads_back_as_the_worker_needs_it_settings_in_their_types()
    {
        using var folder = new TemporaryFolder();
        var store = await ResultsStore.OpenAsync(folder.Path);
        var plan = Quickstart();
        await store.RegisterSweepAsync(PlanRegistration.From(plan));
        var specs = JobSpecs.From(plan, plan.UniqueJobs);

        await store.RecordJobSpecsAsync(specs);

        foreach (var spec in specs)
        {
            var read = await store.GetJobSpecAsync("quickstart", spec.JobId);
            Assert.Equal(spec with { Settings = read.Settings }, read);
            Assert.Equal(spec.Settings.Keys, read.Settings.Keys);
            foreach (var (key, value) in spec.Settings) Assert.Equal((value?.GetType(), value), (read.Settings[key]?.GetType(), read.Settings[key]));
        }
        var first = await store.GetJobSpecAsync("quickstart", specs[0].JobId);
        Assert.Equal(RepositoryFiles.Path("sweeps/prompts/quickstart.txt"), first.SamplePrompts!.Path);
        Assert.Equal(await File.ReadAllTextAsync(first.SamplePrompts.Path), first.SamplePrompts.Text);
        Assert.NotEmpty(first.PreviewPrompts());
    }

    [Fact]
    public async Task A_later_run_records_its_spec_over_the_earlier_one()
    {
        using var folder = new TemporaryFolder();
        var store = await ResultsStore.OpenAsync(folder.Path);
        var plan = Quickstart();
        await store.RegisterSweepAsync(PlanRegistration.From(plan));
        var spec = JobSpecs.From(plan, plan.UniqueJobs).First();
        await store.RecordJobSpecsAsync([spec]);

        await store.RecordJobSpecsAsync([spec with { Label = "renamed", SamplePrompts = new SamplePromptsSnapshot("/elsewhere/prompts.txt", null) }]);

        var read = await store.GetJobSpecAsync("quickstart", spec.JobId);
        Assert.Equal(("renamed", "/elsewhere/prompts.txt", (string?)null), (read.Label, read.SamplePrompts!.Path, read.SamplePrompts.Text));
        Assert.Equal(1, RawDatabase.Scalar<int>(folder.DatabasePath, "SELECT count(*) FROM job_specs;"));
    }

    [Fact]
    public async Task A_job_without_a_recorded_spec_is_refused_naming_the_sweep_the_job_and_what_records_specs()
    {
        using var folder = new TemporaryFolder();
        var store = await ResultsStore.OpenAsync(folder.Path);
        var plan = Quickstart();
        await store.RegisterSweepAsync(PlanRegistration.From(plan));
        var jobId = plan.UniqueJobs.First().Id;

        var error = await Assert.ThrowsAsync<ResultsStoreException>(() => store.GetJobSpecAsync("quickstart", jobId));

        Assert.Contains($"sweep 'quickstart' has no spec of job '{jobId}'", error.Message);
        Assert.Contains("sweeprunner run", error.Message);
        await Assert.ThrowsAsync<ResultsStoreException>(() => store.GetJobSpecAsync("no-such-sweep", jobId));
    }

    [Fact]
    public async Task A_spec_of_an_unregistered_job_is_refused_and_nothing_is_recorded()
    {
        using var folder = new TemporaryFolder();
        var store = await ResultsStore.OpenAsync(folder.Path);
        var plan = Quickstart();
        await store.RegisterSweepAsync(PlanRegistration.From(plan));
        var specs = JobSpecs.From(plan, plan.UniqueJobs);

        await Assert.ThrowsAsync<ResultsStoreException>(() => store.RecordJobSpecsAsync([specs[0], specs[1] with { JobId = "not-registered" }]));

        Assert.Equal(0, RawDatabase.Scalar<int>(folder.DatabasePath, "SELECT count(*) FROM job_specs;"));
    }
}
