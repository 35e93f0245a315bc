using SweepRunner.Core.Planning;
using SweepRunner.Core.Results;
using SweepRunner.Core.Running;
using SweepRunner.Core.Sweeps;
using SweepRunner.Store.Tests.Support;

namespace SweepRunner.Store.Tests;

/// <summary>The study's pattern 10 continues pattern 3: what the store records and hands over between them.</summary>
public sealed class ResultsStoreContinuationsTests
{
    static async Task<(ResultsStore Store, JobSpec Three, JobSpec Ten)> StudyAsync(TemporaryFolder folder)
    {
        var store = await ResultsStore.OpenAsync(folder.Path);
        var plan = new Planner().Plan(SweepFileParser.Load(RepositoryFiles.Path("sweeps/lora-25-patterns.yaml")));
        await store.RegisterSweepAsync(PlanRegistration.From(plan));
        var specs = JobSpecs.From(plan, plan.UniqueJobs);
        await store.RecordJobSpecsAsync(specs);
        return (store, specs.Single(s => s.Label == "3"), specs.Single(s => s.Label == "10"));
    }

    [Fact]
    public async Task A_spec_keeps_its_prefix_key_and_the_job_it_continues()
    {
        using var folder = new TemporaryFolder();
        var (store, three, ten) = await StudyAsync(folder);

        var read = await store.GetJobSpecAsync("lora-25-patterns", ten.JobId);
        Assert.Equal(new JobContinuation(three.JobId, "3", 9000), read.Continues);
        Assert.Equal(three.PrefixKey, read.PrefixKey);
        Assert.NotNull(read.PrefixKey);
        Assert.Null((await store.GetJobSpecAsync("lora-25-patterns", three.JobId)).Continues);
    }

    [Fact]
    public async Task A_job_has_unfinished_continuers_until_they_succeed_or_diverge_and_then_it_is_an_earlier_run()
    {
        using var folder = new TemporaryFolder();
        var (store, three, ten) = await StudyAsync(folder);
        Assert.Equal(1, await store.CountUnfinishedContinuersAsync(three.JobId));
        Assert.Empty(await store.GetEarlierRunsAsync());

        await store.SetJobStateAsync(three.JobId, JobState.Succeeded);
        await store.SetJobStateAsync(ten.JobId, JobState.Failed);
        Assert.Equal(1, await store.CountUnfinishedContinuersAsync(three.JobId));
        await store.SetJobStateAsync(ten.JobId, JobState.Diverged);
        Assert.Equal(0, await store.CountUnfinishedContinuersAsync(three.JobId));

        var earlier = Assert.Single(await store.GetEarlierRunsAsync());
        Assert.Equal(new EarlierRun(three.JobId, "3", "lora-25-patterns", three.PrefixKey!, 9000), earlier);
    }

    [Fact]
    public async Task The_shared_history_is_taken_over_once_with_the_latest_figures_of_each_step()
    {
        using var folder = new TemporaryFolder();
        var (store, three, ten) = await StudyAsync(folder);
        var first = await store.StartAttemptAsync(new AttemptStart(three.JobId, "host", 1, "cpu"));
        await store.AddMetricsAsync(first, [new MetricPoint(1, 1, 0.5, 1e-4, 2), new MetricPoint(2, 1, 0.4, 1e-4, 2), new MetricPoint(3, 1, 0.3, 1e-4, 2)]);
        await store.FinishAttemptAsync(first, AttemptOutcome.Interrupted, "stopped");
        // The resumed attempt logs step 3 again: its figures count.
        var resumed = await store.StartAttemptAsync(new AttemptStart(three.JobId, "host", 1, "cpu", 2));
        await store.AddMetricsAsync(resumed, [new MetricPoint(3, 1, 0.25, 1e-4, 2), new MetricPoint(4, 2, 0.2, 1e-4, 2), new MetricPoint(5, 2, 0.1, 1e-4, 2)]);
        foreach (var epoch in new[] { 10, 20 })
        {
            await store.RecordPreviewAsync(resumed, new PreviewImage(epoch, 0, "a photo", "", 1, "euler_a", 20, 7, 512, 512,
                new ArtifactFile($"lora-25-patterns/3/sample/3_e{epoch:D6}_00.png", 10, new string('c', 64))));
            await store.RecordCheckpointAsync(resumed, epoch, new ArtifactFile($"lora-25-patterns/3/3-{epoch:D6}.safetensors", 10, new string('d', 64), new string('e', 64)));
        }
        await store.FinishAttemptAsync(resumed, AttemptOutcome.Succeeded, null);
        var continuing = await store.StartAttemptAsync(new AttemptStart(ten.JobId, "host", 1, "cpu", 4));

        // Up to step 4 and epoch 20, without the checkpoint at epoch 20 (as if pattern 10 did not save there).
        var shared = await store.CopySharedHistoryAsync(three.JobId, continuing, 4, 20, withLastEpochCheckpoint: false);

        Assert.Equal(new SharedHistory(4, 2, 1, 0), shared);
        var metrics = await store.GetMetricsAsync(continuing);
        Assert.Equal([(1L, 0.5), (2L, 0.4), (3L, 0.25), (4L, 0.2)], metrics.Select(m => (m.Step, m.Loss!.Value)));
        Assert.Equal([10L, 20L], (await store.GetPreviewsAsync(ten.JobId)).Select(p => p.Image.Epoch));
        Assert.Equal("lora-25-patterns/3/sample/3_e000010_00.png", (await store.GetPreviewsAsync(ten.JobId))[0].Image.File.RelativePath);
        var checkpoint = Assert.Single(await store.GetCheckpointsAsync(ten.JobId));
        Assert.Equal((10L, "lora-25-patterns/3/3-000010.safetensors"), (checkpoint.Epoch, checkpoint.File.RelativePath));

        // A second attempt that starts from the same state again adds nothing.
        var again = await store.StartAttemptAsync(new AttemptStart(ten.JobId, "host", 1, "cpu", 4));
        Assert.Equal(new SharedHistory(0, 0, 0, 0), await store.CopySharedHistoryAsync(three.JobId, again, 4, 20, withLastEpochCheckpoint: false));
    }
}
