using SweepRunner.Core.Planning;
using SweepRunner.Core.Results;
using SweepRunner.Core.Running;
using SweepRunner.Store;

namespace SweepRunner.Supervisor.Tests;

/// <summary>
/// The supervisor against a real store, with workers run in this process through the <see cref="IWorkerBackend"/> seam:
/// each reads its jobs' specs from the store and records attempts there as the training worker does, without training.
/// </summary>
public sealed class SweepSupervisorTests : IDisposable
{
    readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    string Results => Path.Combine(_folder.Path, "results");

    string WriteSweep()
    {
        var path = Path.Combine(_folder.Path, "seam.yaml");
        File.WriteAllText(path, $"""
            name: seam
            dataset: {RepositoryFiles.Path("datasets/demo-person").Replace('\\', '/')}
            base:
              pretrained_model_name_or_path: demo
              resolution: 64
              max_train_epochs: 1
            list:
              - {"{"} label: a {"}"}
              - {"{"} label: b, network_dim: 8 {"}"}
            """);
        return path;
    }

    [Fact]
    public async Task Workers_are_given_the_sweep_name_and_train_the_specs_recorded_before_they_start_whatever_the_sweep_file_says_then()
    {
        var sweep = WriteSweep();
        var backend = new InProcessBackend(Results, onStart: () => File.WriteAllText(sweep, "name: [this is not a sweep"));
        var observer = new Notes();

        var summary = await new SweepSupervisor(backend, observer).RunAsync(new RunOptions(sweep, Results, TrainingDevice.Cpu), CancellationToken.None, CancellationToken.None);

        Assert.Equal(["a", "b"], summary.Jobs.Select(j => j.Label));
        Assert.All(summary.Jobs, j => Assert.Equal(AttemptOutcome.Succeeded, j.Outcome));
        var assignment = Assert.Single(backend.Assignments);
        Assert.Equal(("seam", Path.GetFullPath(Results), TrainingDevice.Cpu), (assignment.SweepName, assignment.ResultsFolder, assignment.Device));
        Assert.Equal(summary.Jobs.Select(j => j.JobId), assignment.JobIds);
        Assert.Equal(["a", "b"], backend.TrainedSpecs.Select(s => s.Label));
        Assert.Equal([1L, 1L], backend.TrainedSpecs.Select(s => (long)s.Settings["max_train_epochs"]!));
    }

    [Fact]
    public async Task A_worker_ending_with_the_transient_exit_code_mid_job_is_started_again_for_the_jobs_left()
    {
        var backend = new InProcessBackend(Results, failFirstWorkerTransiently: true);
        var observer = new Notes();
        var options = new RunOptions(WriteSweep(), Results, TrainingDevice.Cpu) { RetryDelay = TimeSpan.FromMilliseconds(1) };

        var summary = await new SweepSupervisor(backend, observer).RunAsync(options, CancellationToken.None, CancellationToken.None);

        Assert.All(summary.Jobs, j => Assert.Equal(AttemptOutcome.Succeeded, j.Outcome));
        Assert.Equal(2, backend.Assignments.Count);
        Assert.Equal(backend.Assignments[0].JobIds, backend.Assignments[1].JobIds);
        Assert.Contains(observer.Lines, line => line.StartsWith("transient failure", StringComparison.Ordinal));
        var store = await ResultsStore.OpenAsync(Results);
        var attempts = await store.GetAttemptsAsync(summary.Jobs[0].JobId);
        Assert.Equal([AttemptOutcome.Failed, AttemptOutcome.Succeeded], attempts.Select(a => a.Outcome!.Value));
        Assert.Contains($"exit code {WorkerExitCodes.TransientFailure}", attempts[0].ErrorText);
    }

    sealed class Notes : IRunObserver
    {
        public List<string> Lines { get; } = [];

        public void Planned(SweepPlan plan, IReadOnlyList<PlannedJob> toRun, int skippedSucceeded, int markedInterrupted) { }

        public void Worker(WorkerMessage message) { }

        public void Note(string text) => Lines.Add(text);
    }

    sealed class InProcessBackend(string results, Action? onStart = null, bool failFirstWorkerTransiently = false) : IWorkerBackend
    {
        public List<WorkerAssignment> Assignments { get; } = [];

        public List<JobSpec> TrainedSpecs { get; } = [];

        public IRunningWorker Start(WorkerAssignment assignment, Action<WorkerMessage> onMessage)
        {
            Assignments.Add(assignment);
            onStart?.Invoke();
            var failNow = failFirstWorkerTransiently && Assignments.Count == 1;
            return new Running(Task.Run(async () =>
            {
                var store = await ResultsStore.OpenAsync(results);
                foreach (var id in assignment.JobIds)
                {
                    var spec = await store.GetJobSpecAsync(assignment.SweepName, id);
                    var attempt = await store.StartAttemptAsync(new AttemptStart(id, Environment.MachineName, Environment.ProcessId, "cpu"));
                    onMessage(new JobStarted(id, spec.Label, attempt, 0, spec.TotalSteps));
                    if (failNow) return WorkerExitCodes.TransientFailure;
                    TrainedSpecs.Add(spec);
                    await store.FinishAttemptAsync(attempt, AttemptOutcome.Succeeded);
                    onMessage(new JobFinished(id, AttemptOutcome.Succeeded, null));
                }
                return 0;
            }));
        }

        sealed class Running(Task<int> work) : IRunningWorker
        {
            public Task<int> WaitAsync(CancellationToken killNow) => work;

            public void RequestStop() { }

            public string StderrTail => "";

            public void Dispose() { }
        }
    }
}
