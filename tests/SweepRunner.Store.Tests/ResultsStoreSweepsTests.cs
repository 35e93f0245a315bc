using SweepRunner.Store.Errors;
using SweepRunner.Core.Results;
using SweepRunner.Store.Tests.Support;

namespace SweepRunner.Store.Tests;

public sealed class ResultsStoreSweepsTests
{
    [Fact]
    public async Task Registering_a_sweep_stores_planned_jobs_in_plan_order()
    {
        using var folder = new TemporaryFolder();
        var store = await ResultsStore.OpenAsync(folder.Path);

        var result = await store.RegisterSweepAsync(Sweeps.DimSweep("dims", 32, 8, 16));

        Assert.Equal(new SweepRegistrationResult("dims", true, 3, 0, []), result with { UnlinkedLabels = [] });
        Assert.Empty(result.UnlinkedLabels);
        var status = await store.GetSweepStatusAsync("dims");
        Assert.Equal(["dim32", "dim8", "dim16"], status.Jobs.Select(job => job.Label));
        Assert.All(status.Jobs, job => Assert.Equal(JobState.Planned, job.State));
        var sweep = Assert.Single(await store.ListSweepsAsync());
        Assert.Equal(("dims", "sweeps/dims.yaml", 3), (sweep.Name, sweep.SourceFile, sweep.JobCount));
    }

    [Fact]
    public async Task Replanning_the_same_sweep_keeps_jobs_states_attempts_and_scores()
    {
        using var folder = new TemporaryFolder();
        var clock = ManualTimeProvider.AtSampleDate();
        var store = await ResultsStore.OpenAsync(folder.Path, clock);
        await store.RegisterSweepAsync(Sweeps.DimSweep("dims", 8, 16));
        var attemptId = await store.StartAttemptAsync(new AttemptStart("job-dim8", "host", 1, "cpu"));
        await store.FinishAttemptAsync(attemptId, AttemptOutcome.Succeeded);
        await store.AddJobScoreAsync("job-dim8", new ScoreEntry("alice", 75, Blind: true));

        clock.Advance(TimeSpan.FromHours(1));
        var replanned = Sweeps.DimSweep("dims", 8, 16, 32) with { SourceText = "name: dims\n# now with dim 32\n" };
        var result = await store.RegisterSweepAsync(replanned);

        Assert.False(result.SweepCreated);
        Assert.Equal((1, 2), (result.NewJobs, result.KnownJobs));
        var status = await store.GetSweepStatusAsync("dims");
        Assert.Equal(["dim8", "dim16", "dim32"], status.Jobs.Select(job => job.Label));
        Assert.Equal(JobState.Succeeded, status.Jobs[0].State);
        Assert.Equal(clock.GetUtcNow(), status.UpdatedAt);
        Assert.Single(await store.GetAttemptsAsync("job-dim8"));
        Assert.Equal(75, Assert.Single(await store.GetLatestScoresAsync("job-dim8")).Value);
        Assert.Equal(3, RawDatabase.Scalar<int>(folder.DatabasePath, "SELECT count(*) FROM jobs;"));
        Assert.Equal(1, RawDatabase.Scalar<int>(folder.DatabasePath, "SELECT count(*) FROM sweeps;"));
        Assert.Equal(replanned.SourceText, RawDatabase.Scalar<string>(folder.DatabasePath, "SELECT source_text FROM sweeps;"));
    }

    [Fact]
    public async Task Replanning_without_a_job_unlinks_it_but_keeps_its_data()
    {
        using var folder = new TemporaryFolder();
        var store = await ResultsStore.OpenAsync(folder.Path);
        await store.RegisterSweepAsync(Sweeps.DimSweep("dims", 8, 16));
        await store.AddJobScoreAsync("job-dim16", new ScoreEntry("alice", 40, Blind: false));

        var result = await store.RegisterSweepAsync(Sweeps.DimSweep("dims", 8));

        Assert.Equal(["dim16"], result.UnlinkedLabels);
        Assert.Equal(["dim8"], (await store.GetSweepStatusAsync("dims")).Jobs.Select(job => job.Label));
        Assert.Equal(JobState.Planned, await store.GetJobStateAsync("job-dim16"));
        Assert.Equal(40, Assert.Single(await store.GetLatestScoresAsync("job-dim16")).Value);

        var back = await store.RegisterSweepAsync(Sweeps.DimSweep("dims", 8, 16));
        Assert.Equal((0, 2), (back.NewJobs, back.KnownJobs));
        Assert.Equal(40, Assert.Single((await store.GetSweepExportAsync("dims")).Rows[1].Scores).Mean);
    }

    [Fact]
    public async Task A_job_planned_by_two_sweeps_is_stored_once_under_each_label()
    {
        using var folder = new TemporaryFolder();
        var store = await ResultsStore.OpenAsync(folder.Path);
        await store.RegisterSweepAsync(Sweeps.DimSweep("first", 8, 16));
        var attemptId = await store.StartAttemptAsync(new AttemptStart("job-dim16", "host", 1, "cpu"));
        await store.FinishAttemptAsync(attemptId, AttemptOutcome.Succeeded);

        var second = await store.RegisterSweepAsync(Sweeps.Sweep("second", Sweeps.Job(16, label: "rank 16 again"), Sweeps.Job(64)));

        Assert.Equal((1, 1), (second.NewJobs, second.KnownJobs));
        var status = await store.GetSweepStatusAsync("second");
        Assert.Equal(("rank 16 again", JobState.Succeeded), (status.Jobs[0].Label, status.Jobs[0].State));
        Assert.Equal(3, RawDatabase.Scalar<int>(folder.DatabasePath, "SELECT count(*) FROM jobs;"));
    }

    [Fact]
    public async Task A_label_used_twice_is_rejected_naming_the_sweep_and_the_label()
    {
        using var folder = new TemporaryFolder();
        var store = await ResultsStore.OpenAsync(folder.Path);

        var refusal = await Assert.ThrowsAsync<ArgumentException>(() =>
            store.RegisterSweepAsync(Sweeps.Sweep("twice", Sweeps.Job(8, label: "same"), Sweeps.Job(16, label: "same"))));

        Assert.Contains("'twice'", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("'same'", refusal.Message, StringComparison.Ordinal);
        Assert.Empty(await store.ListSweepsAsync());
    }

    [Fact]
    public async Task A_duplicate_must_point_at_a_label_of_the_sweep()
    {
        using var folder = new TemporaryFolder();
        var store = await ResultsStore.OpenAsync(folder.Path);

        var refusal = await Assert.ThrowsAsync<ArgumentException>(() =>
            store.RegisterSweepAsync(Sweeps.Sweep("dups", Sweeps.Job(8), Sweeps.Job(8, label: "dim8 again", duplicateOf: "missing"))));

        Assert.Contains("'missing'", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_sweep_is_reported_with_the_database_and_the_sweeps_it_holds()
    {
        using var folder = new TemporaryFolder();
        var store = await ResultsStore.OpenAsync(folder.Path);
        await store.RegisterSweepAsync(Sweeps.DimSweep("dims", 8));

        var refusal = await Assert.ThrowsAsync<ResultsStoreException>(() => store.GetSweepStatusAsync("dimz"));

        Assert.Contains(folder.DatabasePath, refusal.Message, StringComparison.Ordinal);
        Assert.Contains("'dimz'", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("it holds: dims", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Setting_a_job_state_is_stored_and_an_unknown_job_is_named()
    {
        using var folder = new TemporaryFolder();
        var store = await ResultsStore.OpenAsync(folder.Path);
        await store.RegisterSweepAsync(Sweeps.DimSweep("dims", 8));

        await store.SetJobStateAsync("job-dim8", JobState.TimedOut);

        Assert.Equal(JobState.TimedOut, await store.GetJobStateAsync("job-dim8"));
        Assert.Equal("timed-out", RawDatabase.Scalar<string>(folder.DatabasePath, "SELECT state FROM jobs;"));
        var refusal = await Assert.ThrowsAsync<ResultsStoreException>(() => store.SetJobStateAsync("job-nope", JobState.Planned));
        Assert.Contains("'job-nope'", refusal.Message, StringComparison.Ordinal);
    }
}
