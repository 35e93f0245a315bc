using Polly;
using Polly.Retry;
using SweepRunner.Core.Files;
using SweepRunner.Core.Planning;
using SweepRunner.Core.Running;
using SweepRunner.Core.Settings;
using SweepRunner.Core.Sweeps;
using SweepRunner.Store;
using SweepRunner.Store.Errors;
using SweepRunner.Core.Results;

namespace SweepRunner.Supervisor;

/// <summary>
/// Runs a sweep: plans and registers it, marks attempts of dead runners interrupted, then trains every
/// unique job that has not succeeded, one worker per run of jobs sharing a base model (the worker keeps the
/// model loaded between them). The sweep file is read once, here: each job's <see cref="JobSpec"/> goes to the
/// store and workers train from it, so editing the sweep file during the run changes nothing until the next run.
/// A worker that crashes ends only the job it was training; the supervisor records why, retries transient
/// failures with backoff, and goes on with the next job. Where workers run is the <see cref="IWorkerBackend"/>'s business.
/// </summary>
public sealed class SweepSupervisor(IWorkerBackend workers, IRunObserver observer, TimeProvider? time = null)
{
    readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <param name="stop">First Ctrl-C: workers save their state and stop; no new job starts.</param>
    /// <param name="kill">Second Ctrl-C: workers are killed at once.</param>
    public async Task<RunSummary> RunAsync(RunOptions options, CancellationToken stop, CancellationToken kill)
    {
        var sweep = SweepFileParser.Load(options.SweepFile);
        if (options.AutoScores is { } autoScores) sweep = sweep with { AutoScores = autoScores };
        var store = await ResultsStore.OpenAsync(options.ResultsFolder, _time);
        var measured = MeasuredStepTimes.From(await store.GetSpeedSamplesAsync());
        var continuable = await ContinuableRuns.LoadAsync(store);
        var plan = new Planner { SecondsPerStep = measured.SecondsPerStep, EarlierRuns = continuable.Available, SpentRuns = continuable.Spent }.Plan(sweep);
        await store.RegisterSweepAsync(PlanRegistration.From(plan));
        // This machine's attempts are alive exactly when their job lock is held; other machines' only tell by heartbeat.
        var stale = await MarkOrphanedAttemptsInterruptedAsync(store, plan)
                    + (await store.MarkStaleAttemptsInterruptedAsync(options.StaleHeartbeat, exceptHost: Environment.MachineName)).Count;
        var removed = OrphanedTemporaryFiles.Remove(store.ResultsFolder, OrphanedTemporaryFiles.DefaultQuietTime, _time);
        if (removed.Count > 0)
            observer.Note($"removed {removed.Count} temporary file(s) ({removed.Bytes / 1048576.0:0.0} MB) that interrupted writes had left");

        var toRun = new List<PlannedJob>();
        var skipped = 0;
        var busyBefore = new List<string>();
        foreach (var job in plan.UniqueJobs)
        {
            if (options.OnlyLabels is { } only && !only.Contains(job.Label)) continue;
            var state = await store.GetJobStateAsync(job.Id);
            if (state is JobState.Succeeded) { skipped++; continue; }
            if (state is JobState.Running)
            {
                NoteBusy(job.Label);
                busyBefore.Add(job.Label);
                continue;
            }
            if (state is JobState.Diverged) { observer.Note($"{job.Label}: diverged in an earlier run; not trained again (the same settings diverge again)"); continue; }
            toRun.Add(job);
        }
        // Jobs sharing a base model run together, in plan order of each model's first job.
        // Within a model, full-precision jobs first: a half-precision job makes the worker reload the model after it.
        toRun = toRun.GroupBy(j => (string)j.Settings[SettingsCatalog.BaseModel]!)
            .SelectMany(g => g.OrderBy(j => j.Settings[SettingsCatalog.MixedPrecision] as string == "no" ? 0 : 1)).ToList();
        // A job that continues another of this run trains after it (same model and precision, so the same group).
        toRun = RunPrefix.ContinuedFirst(toRun, j => j.Id, j => j.Continues?.JobId);
        if (options.MaxJobs is { } max) toRun = toRun.Take(max).ToList();
        if (toRun.Count == 0 && NothingToTrain(plan, options) is { } why) observer.Note("warning: no job to train: " + why);
        // A job left out of this run (--only, --max-jobs) that continues one of its jobs has its spec recorded too, so
        // the job it continues keeps its final state for a later run.
        var training = toRun.Select(j => j.Id).ToHashSet(StringComparer.Ordinal);
        var laterContinuers = plan.UniqueJobs.Where(j => !training.Contains(j.Id) && j.Continues is { } c && training.Contains(c.JobId));
        await store.RecordJobSpecsAsync(JobSpecs.From(plan, toRun.Concat(laterContinuers)));
        observer.Planned(plan, toRun, skipped, stale);

        var results = new List<JobRunResult>();
        var outcomes = new Outcomes();
        foreach (var group in toRun.GroupBy(j => (string)j.Settings[SettingsCatalog.BaseModel]!))
        {
            var pending = group.ToList();
            while (pending.Count > 0 && !stop.IsCancellationRequested)
            {
                var crashed = await RunWithRetriesAsync(store, options, plan, pending, outcomes, stop, kill);
                pending.RemoveAll(j => outcomes.Ended(j.Id));
                if (crashed != null) pending.RemoveAll(j => j.Id == crashed);
            }
        }
        foreach (var job in toRun)
            if (outcomes.Finished.TryGetValue(job.Id, out var finished))
                results.Add(new JobRunResult(job.Id, job.Label, finished.Outcome, finished.Error));
        var busy = busyBefore.Concat(toRun.Where(j => outcomes.Busy.Contains(j.Id)).Select(j => j.Label)).ToList();
        return new RunSummary(plan.Sweep.Name, store.ResultsFolder, results, skipped, stop.IsCancellationRequested) { BusyElsewhere = busy };
    }

    /// <summary>Why no job is left to train when that is not simply because every job succeeded before (null then).</summary>
    static string? NothingToTrain(SweepPlan plan, RunOptions options)
    {
        var labels = plan.UniqueJobs.Select(j => j.Label).ToList();
        if (labels.Count == 0)
            return plan.Totals.Excluded > 0
                ? $"every combination of the sweep is excluded ({plan.Totals.Excluded} excluded" + (plan.ExcludedExamples.Count > 0 ? $", e.g. {plan.ExcludedExamples[0].Label}: {plan.ExcludedExamples[0].Reason}" : "") + "); check its constraints"
                : "the sweep has no job";
        if (options.OnlyLabels is { } only && !labels.Any(only.Contains))
            return $"--only {string.Join(',', only)}: no job has {(only.Count == 1 ? "that label" : "any of those labels")}; labels are {LabelList(labels)}";
        if (options.MaxJobs is 0) return "--max-jobs 0";
        return null;
    }

    static string LabelList(IReadOnlyList<string> labels)
    {
        var numbers = labels.Select(l => int.TryParse(l, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : (int?)null).ToList();
        if (numbers.All(n => n is not null))
        {
            var sorted = numbers.Select(n => n!.Value).Order().ToList();
            if (sorted[^1] - sorted[0] == sorted.Count - 1 && sorted.Distinct().Count() == sorted.Count) return $"{sorted[0]}..{sorted[^1]}";
        }
        return string.Join(", ", labels.Take(30)) + (labels.Count > 30 ? ", …" : "");
    }

    /// <summary>
    /// Open attempts of this sweep started on this machine whose job lock nobody holds (a killed runner, a power cut, a
    /// worker that is now a zombie or whose process id another program has since taken) are interrupted now rather
    /// than after their heartbeat goes stale.
    /// </summary>
    static async Task<int> MarkOrphanedAttemptsInterruptedAsync(ResultsStore store, SweepPlan plan)
    {
        var marked = 0;
        foreach (var job in plan.UniqueJobs)
        foreach (var attempt in await store.GetAttemptsAsync(job.Id))
        {
            if (attempt.Outcome is not null || attempt.Host != Environment.MachineName || JobLock.IsHeld(store.ResultsFolder, job.Id)) continue;
            await store.FinishAttemptAsync(attempt.AttemptId, AttemptOutcome.Interrupted,
                $"the process that ran it (pid {attempt.ProcessId}) no longer trains it (its job lock is free); its training state is resumed by the next run");
            marked++;
        }
        return marked;
    }

    /// <summary>What the workers of one run reported: each job's end, and the jobs another process was training.</summary>
    sealed class Outcomes
    {
        public Dictionary<string, JobFinished> Finished { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Busy { get; } = new(StringComparer.Ordinal);

        public bool Ended(string jobId)
        {
            lock (this) return Finished.ContainsKey(jobId) || Busy.Contains(jobId);
        }

        public void Add(JobFinished finished)
        {
            lock (this) Finished[finished.JobId] = finished;
        }

        public void AddBusy(string jobId)
        {
            lock (this) Busy.Add(jobId);
        }
    }

    void NoteBusy(string label) => observer.Note($"{label}: being trained by another running process; skipped");

    sealed class TransientWorkerFailure(string jobId, string error) : Exception(error)
    {
        public string JobId { get; } = jobId;
    }

    /// <summary>Runs the pending jobs in one worker; returns the id of a job that failed for good when the worker died, else null.</summary>
    async Task<string?> RunWithRetriesAsync(ResultsStore store, RunOptions options, SweepPlan plan, List<PlannedJob> pending,
        Outcomes outcomes, CancellationToken stop, CancellationToken kill)
    {
        var retry = new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<TransientWorkerFailure>(),
            MaxRetryAttempts = options.TransientRetries,
            BackoffType = DelayBackoffType.Exponential,
            Delay = options.RetryDelay,
            OnRetry = args =>
            {
                observer.Note($"transient failure ({args.Outcome.Exception?.Message}); retry {args.AttemptNumber + 1} of {options.TransientRetries} in {args.RetryDelay.TotalSeconds:0} s");
                return ValueTask.CompletedTask;
            },
        }).Build();
        try
        {
            return await retry.ExecuteAsync(async token =>
            {
                var remaining = pending.Where(j => !outcomes.Ended(j.Id)).ToList();
                var (crashedJob, error, transient) = await RunWorkerAsync(store, options, plan, remaining, outcomes, stop, kill);
                if (crashedJob != null && transient) throw new TransientWorkerFailure(crashedJob, error!);
                return crashedJob;
            }, stop);
        }
        catch (TransientWorkerFailure e)
        {
            var gaveUp = new JobFinished(e.JobId, AttemptOutcome.Failed, e.Message + $" (gave up after {options.TransientRetries} retries)");
            outcomes.Add(gaveUp);
            observer.Worker(gaveUp);
            return e.JobId;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return null;
        }
    }

    async Task<(string? CrashedJob, string? Error, bool Transient)> RunWorkerAsync(ResultsStore store, RunOptions options, SweepPlan plan,
        IReadOnlyList<PlannedJob> jobs, Outcomes outcomes, CancellationToken stop, CancellationToken kill)
    {
        var assignment = new WorkerAssignment(plan.Sweep.Name, jobs.Select(j => j.Id).ToList(), store.ResultsFolder, options.Device, options.StateSaveMinutes);
        // The job the worker is training: started and not yet finished.
        string? current = null;
        using var worker = workers.Start(assignment, message =>
        {
            switch (message)
            {
                case JobStarted started:
                    current = started.JobId;
                    break;
                case JobFinished finished:
                    outcomes.Add(finished);
                    if (current == finished.JobId) current = null;
                    break;
                case JobBusy busy:
                    outcomes.AddBusy(busy.JobId);
                    NoteBusy(busy.Label);
                    return;
            }
            observer.Worker(message);
        });
        await using var onStop = stop.Register(worker.RequestStop);
        var exitCode = await worker.WaitAsync(kill);
        if (exitCode == WorkerExitCodes.DiskFull)
            throw new ResultsDiskFullException(store.DatabasePath, new IOException(worker.StderrTail.Split('\n').LastOrDefault(l => l.Length > 0) ?? "the worker found the disk full"));
        if (stop.IsCancellationRequested && current is null) return (null, null, false);
        if (exitCode == 0)
        {
            // A worker ends by itself only when every job it was given ended; one that did not say so would otherwise
            // be started again for the same jobs, forever.
            foreach (var job in jobs.Where(j => !outcomes.Ended(j.Id)).ToList())
            {
                var unreported = new JobFinished(job.Id, AttemptOutcome.Failed, "the worker process ended (exit code 0) without reporting this job");
                outcomes.Add(unreported);
                observer.Worker(unreported);
            }
            return (null, null, false);
        }
        if (current is not { } crashed)
        {
            // Died before or between jobs (could not start, could not load the base model): the jobs it was
            // given did not run, and would fail the same way in a new worker.
            // Each job gets a failed attempt holding the reason, so status, export and the report show why.
            var reason = FailureKinds.DescribeEarlyExit(exitCode, worker.StderrTail);
            await store.AddEventAsync(EventLevel.Error, reason, plan.Sweep.Name);
            foreach (var job in jobs.Where(j => !outcomes.Ended(j.Id)).ToList())
            {
                var attempt = await store.StartAttemptAsync(new AttemptStart(job.Id, Environment.MachineName, Environment.ProcessId, options.Device.Word()));
                await store.FinishAttemptAsync(attempt, AttemptOutcome.Failed, reason);
                var failed = new JobFinished(job.Id, AttemptOutcome.Failed, reason);
                outcomes.Add(failed);
                observer.Worker(failed);
            }
            return (null, null, false);
        }

        var label = jobs.First(j => j.Id == crashed).Label;
        var tail = worker.StderrTail;
        var error = $"worker process died while training '{label}': {FailureKinds.DescribeExit(exitCode)}" + (tail.Length > 0 ? "\n" + tail : "");
        var transient = FailureKinds.IsTransient(exitCode, tail);
        var open = (await store.GetAttemptsAsync(crashed)).LastOrDefault(a => a.Outcome is null);
        if (open != null) await store.FinishAttemptAsync(open.AttemptId, AttemptOutcome.Failed, error);
        await store.AddEventAsync(EventLevel.Error, error, plan.Sweep.Name, crashed);
        if (!transient)
        {
            // The worker could not say so itself: the console shows the failure and counts the job as done.
            var failed = new JobFinished(crashed, AttemptOutcome.Failed, error);
            outcomes.Add(failed);
            observer.Worker(failed);
        }
        return (crashed, error, transient);
    }
}
