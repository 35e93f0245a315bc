using SweepRunner.Core.Files;
using SweepRunner.Core.Planning;
using SweepRunner.Core.Results;
using SweepRunner.Core.Running;
using SweepRunner.Core.Sweeps;
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

    /// <summary>Registers the sweep as a run would and opens an attempt of <paramref name="label"/> as this process, on this machine.</summary>
    async Task<(string JobId, long AttemptId)> OpenAttemptAsync(string sweep, string label)
    {
        var plan = new Planner().Plan(SweepFileParser.Load(sweep));
        var store = await ResultsStore.OpenAsync(Results);
        await store.RegisterSweepAsync(PlanRegistration.From(plan));
        var job = plan.UniqueJobs.Single(j => j.Label == label);
        return (job.Id, await store.StartAttemptAsync(new AttemptStart(job.Id, Environment.MachineName, Environment.ProcessId, "cpu")));
    }

    [Fact]
    public async Task An_attempt_whose_process_id_is_alive_but_whose_job_lock_is_free_is_interrupted_and_trained_again()
    {
        // The attempt's process id is this test's, alive: what a reused process id (or a zombie) looks like to a pid check.
        var sweep = WriteSweep();
        var (jobId, attemptId) = await OpenAttemptAsync(sweep, "a");

        var summary = await new SweepSupervisor(new InProcessBackend(Results), new Notes()).RunAsync(new RunOptions(sweep, Results, TrainingDevice.Cpu), CancellationToken.None, CancellationToken.None);

        Assert.Equal(["a", "b"], summary.Jobs.Select(j => j.Label));
        Assert.All(summary.Jobs, j => Assert.Equal(AttemptOutcome.Succeeded, j.Outcome));
        var first = (await (await ResultsStore.OpenAsync(Results)).GetAttemptsAsync(jobId)).First(a => a.AttemptId == attemptId);
        Assert.Equal(AttemptOutcome.Interrupted, first.Outcome);
        Assert.Contains("job lock is free", first.ErrorText);
    }

    [Fact]
    public async Task A_job_whose_lock_another_process_holds_is_left_to_it_and_named_in_the_summary()
    {
        var sweep = WriteSweep();
        var (jobId, attemptId) = await OpenAttemptAsync(sweep, "a");
        using var trainingElsewhere = JobLock.TryAcquire(Results, jobId)!;
        var observer = new Notes();

        var summary = await new SweepSupervisor(new InProcessBackend(Results), observer).RunAsync(new RunOptions(sweep, Results, TrainingDevice.Cpu), CancellationToken.None, CancellationToken.None);

        Assert.Equal(["b"], summary.Jobs.Select(j => j.Label));
        Assert.Equal(["a"], summary.BusyElsewhere);
        Assert.Contains("a: being trained by another running process; skipped", observer.Lines);
        var attempt = Assert.Single(await (await ResultsStore.OpenAsync(Results)).GetAttemptsAsync(jobId));
        Assert.Equal((attemptId, (AttemptOutcome?)null), (attempt.AttemptId, attempt.Outcome));
    }

    [Fact]
    public async Task Temporary_files_that_interrupted_writes_left_are_removed_when_a_run_starts()
    {
        var jobFolder = Path.Combine(Results, "seam", "a");
        Directory.CreateDirectory(jobFolder);
        var orphan = Path.Combine(jobFolder, AtomicFile.TemporaryNameFor("a-state.safetensors"));
        File.WriteAllBytes(orphan, new byte[3 << 20]);
        File.SetLastWriteTimeUtc(orphan, DateTime.UtcNow - TimeSpan.FromHours(1));
        var observer = new Notes();

        await new SweepSupervisor(new InProcessBackend(Results), observer).RunAsync(new RunOptions(WriteSweep(), Results, TrainingDevice.Cpu), CancellationToken.None, CancellationToken.None);

        Assert.False(File.Exists(orphan));
        Assert.Contains("removed 1 temporary file(s) (3.0 MB) that interrupted writes had left", observer.Lines);
    }

    [Fact]
    public async Task A_worker_killed_mid_job_is_reported_as_that_job_failing_and_the_next_worker_trains_the_rest()
    {
        var observer = new Notes();
        var backend = new InProcessBackend(Results, crashFirstWorkerWith: 137);

        var summary = await new SweepSupervisor(backend, observer).RunAsync(new RunOptions(WriteSweep(), Results, TrainingDevice.Cpu), CancellationToken.None, CancellationToken.None);

        Assert.Equal([AttemptOutcome.Failed, AttemptOutcome.Succeeded], summary.Jobs.Select(j => j.Outcome));
        var finished = observer.Messages.OfType<JobFinished>().ToList();
        Assert.Equal([summary.Jobs[0].JobId, summary.Jobs[1].JobId], finished.Select(f => f.JobId));
        Assert.StartsWith("worker process died while training 'a': exit code 137 (killed by signal 9, SIGKILL)", finished[0].Error);
    }

    [Fact]
    public async Task A_worker_that_fails_before_training_gives_each_job_a_failed_attempt_whose_first_line_is_the_workers_error()
    {
        const string said = "error: --device cuda: CUDA is not available (CPU build of TorchSharp, or no GPU/driver).";
        var observer = new Notes();
        var backend = new InProcessBackend(Results, failBeforeTraining: (1, "loading libtorch\n" + said));

        var summary = await new SweepSupervisor(backend, observer).RunAsync(new RunOptions(WriteSweep(), Results, TrainingDevice.Cuda), CancellationToken.None, CancellationToken.None);

        Assert.All(summary.Jobs, j => Assert.Equal(AttemptOutcome.Failed, j.Outcome));
        const string reason = "worker process failed before training: --device cuda: CUDA is not available (CPU build of TorchSharp, or no GPU/driver). (exit code 1)";
        Assert.All(observer.Messages.OfType<JobFinished>(), f => Assert.StartsWith(reason + "\n", f.Error));
        var store = await ResultsStore.OpenAsync(Results);
        var status = await store.GetSweepStatusAsync("seam");
        Assert.All(status.Jobs, j => Assert.Equal((JobState.Failed, reason), (j.State, j.Reason)));
        var report = await store.GetSweepReportDataAsync("seam");
        Assert.All(report.Jobs, j => Assert.StartsWith(reason, Assert.Single(j.Failures).ErrorText));
    }

    [Theory]
    [InlineData("Unhandled exception. System.IO.FileNotFoundException: Sample prompt file 'p.txt' does not exist.\n   at X.Y()", 134,
        "worker process failed before training: System.IO.FileNotFoundException: Sample prompt file 'p.txt' does not exist. (exit code 134 (killed by signal 6, SIGABRT))")]
    [InlineData("", 139, "worker process failed before training: exit code 139 (killed by signal 11, SIGSEGV)")]
    public void An_early_exit_is_described_by_the_workers_own_last_words(string tail, int exitCode, string firstLine) =>
        Assert.Equal(firstLine, FailureKinds.DescribeEarlyExit(exitCode, tail).Split('\n')[0]);

    [Fact]
    public async Task Only_labels_that_match_no_job_are_a_warning_that_lists_the_labels()
    {
        var observer = new Notes();
        var options = new RunOptions(WriteSweep(), Results, TrainingDevice.Cpu, new HashSet<string> { "99" });

        var summary = await new SweepSupervisor(new InProcessBackend(Results), observer).RunAsync(options, CancellationToken.None, CancellationToken.None);

        Assert.Empty(summary.Jobs);
        Assert.Contains("warning: no job to train: --only 99: no job has that label; labels are a, b", observer.Lines);
    }

    sealed class Notes : IRunObserver
    {
        public List<string> Lines { get; } = [];

        public List<WorkerMessage> Messages { get; } = [];

        public void Planned(SweepPlan plan, IReadOnlyList<PlannedJob> toRun, int skippedSucceeded, int markedInterrupted) { }

        public void Worker(WorkerMessage message)
        {
            lock (Messages) Messages.Add(message);
        }

        public void Note(string text) => Lines.Add(text);
    }

    sealed class InProcessBackend(string results, Action? onStart = null, bool failFirstWorkerTransiently = false, int? crashFirstWorkerWith = null,
        (int ExitCode, string Stderr)? failBeforeTraining = null) : IWorkerBackend
    {
        public List<WorkerAssignment> Assignments { get; } = [];

        public List<JobSpec> TrainedSpecs { get; } = [];

        public IRunningWorker Start(WorkerAssignment assignment, Action<WorkerMessage> onMessage)
        {
            Assignments.Add(assignment);
            onStart?.Invoke();
            var failNow = failFirstWorkerTransiently && Assignments.Count == 1;
            if (failBeforeTraining is { } early) return new Running(Task.FromResult(early.ExitCode), early.Stderr);
            return new Running(Task.Run(async () =>
            {
                var store = await ResultsStore.OpenAsync(results);
                foreach (var id in assignment.JobIds)
                {
                    var spec = await store.GetJobSpecAsync(assignment.SweepName, id);
                    var attempt = await store.StartAttemptAsync(new AttemptStart(id, Environment.MachineName, Environment.ProcessId, "cpu"));
                    onMessage(new JobStarted(id, spec.Label, attempt, 0, spec.TotalSteps));
                    if (failNow) return WorkerExitCodes.TransientFailure;
                    if (crashFirstWorkerWith is { } code && Assignments.Count == 1) return code;
                    TrainedSpecs.Add(spec);
                    await store.FinishAttemptAsync(attempt, AttemptOutcome.Succeeded);
                    onMessage(new JobFinished(id, AttemptOutcome.Succeeded, null));
                }
                return 0;
            }));
        }

        sealed class Running(Task<int> work, string stderr = "") : IRunningWorker
        {
            public Task<int> WaitAsync(CancellationToken killNow) => work;

            public void RequestStop() { }

            public string StderrTail => stderr;

            public void Dispose() { }
        }
    }
}
