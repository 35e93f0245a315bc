using SweepRunner.Core.Planning;
using SweepRunner.Core.Settings;
using SweepRunner.Core.Sweeps;
using SweepRunner.Store;
using SweepRunner.Core.Results;

namespace SweepRunner.Store.Tests;

/// <summary>The planner's measured speeds, read from a real store by the query <c>plan</c> and <c>run</c> use.</summary>

public sealed class MeasuredStepTimesTests : IDisposable
{
    private readonly string _results = Directory.CreateTempSubdirectory("sweeprunner-measured-").FullName;

    public void Dispose() => Directory.Delete(_results, recursive: true);

    [Fact]
    public async Task Later_plans_estimate_from_measured_speed_own_first_then_jobs_of_the_same_cost()
    {
        var sweep = SweepFileParser.Load(Path.Combine(RepoRoot, "sweeps", "quickstart.yaml"));
        var first = new Planner().Plan(sweep);
        var store = await ResultsStore.OpenAsync(_results);
        await store.RegisterSweepAsync(PlanRegistration.From(first));
        var baseJob = first.Jobs.Single(job => job.Label == "base");
        var alpha64 = first.Jobs.Single(job => job.Label == "network_alpha=64");
        await TrainedAsync(store, baseJob, trainSeconds: 0.5 * baseJob.Steps.TotalSteps);
        await TrainedAsync(store, alpha64, trainSeconds: 0.3 * alpha64.Steps.TotalSteps);

        var measured = MeasuredStepTimes.From(await store.GetSpeedSamplesAsync());
        var second = new Planner { SecondsPerStep = measured.SecondsPerStep }.Plan(sweep);

        Assert.Equal(0.5 * baseJob.Steps.TotalSteps, second.Jobs.Single(job => job.Label == "base").EstimatedSeconds, precision: 9);
        Assert.Equal(0.3 * alpha64.Steps.TotalSteps, second.Jobs.Single(job => job.Label == "network_alpha=64").EstimatedSeconds, precision: 9);
        // Untried jobs with the same step cost (only alpha or optimizer differ) take the pooled speed of both.
        var untried = second.Jobs.Single(job => job.Label == "optimizer_type=Lion");
        Assert.Equal(0.4 * untried.Steps.TotalSteps, untried.EstimatedSeconds, precision: 9);
        Assert.NotEqual(first.Jobs.Single(job => job.Label == "optimizer_type=Lion").EstimatedSeconds, untried.EstimatedSeconds);

        // A larger batch costs more per step: nothing comparable was measured, so the sweep's steps_per_second holds.
        var biggerBatch = new Dictionary<string, object?>(baseJob.Settings) { [SettingsCatalog.BatchSize] = 8L };
        Assert.Null(measured.SecondsPerStep(biggerBatch));
    }

    private static async Task TrainedAsync(ResultsStore store, PlannedJob job, double trainSeconds)
    {
        var attemptId = await store.StartAttemptAsync(new AttemptStart(job.Id, "host", 1, "cpu"));
        await store.FinishAttemptAsync(attemptId, AttemptOutcome.Succeeded, timings: new PhaseTimings(1, 1, trainSeconds, 1, 1));
    }

    private static string RepoRoot
    {
        get
        {
            var dir = AppContext.BaseDirectory;
            while (!File.Exists(Path.Combine(dir, "SweepRunner.sln"))) dir = Path.GetDirectoryName(dir)!;
            return dir;
        }
    }
}
