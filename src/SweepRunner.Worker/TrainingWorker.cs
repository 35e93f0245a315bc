using System.Diagnostics;
using SweepRunner.Core.Datasets;
using SweepRunner.Core.Planning;
using SweepRunner.Core.Previews;
using SweepRunner.Core.Results;
using SweepRunner.Core.Running;
using SweepRunner.Core.Settings;
using SweepRunner.Store;
using SweepRunner.Store.Errors;
using SweepRunner.Training.Data;
using SweepRunner.Worker.AutoScoring;
using SweepRunner.Diffusion.ImageEncoders;
using SweepRunner.Diffusion.Checkpoints;
using SweepRunner.Diffusion.Model;
using SweepRunner.Training.Optimizers;
using SweepRunner.Training.Trainer;
using static TorchSharp.torch;

// The stop token asks training to save its state and end; what the worker records must still reach the store.
#pragma warning disable CA2016

namespace SweepRunner.Worker;

/// <summary>
/// The training side of <c>sweeprunner run</c>: one process that trains the jobs it is given one after another,
/// each from the <see cref="JobSpec"/> the supervisor recorded in the store (never from the sweep file), keeping the base model, tokenizer and latent cache loaded between jobs that share them, and recording attempts,
/// metrics, checkpoints, previews and events in the store. Runs on one thread (TorchSharp's dispose scopes are
/// thread-static). A job that fails or diverges ends alone; a transient failure ends the process with
/// <see cref="WorkerExitCodes.TransientFailure"/> so the supervisor retries it.
/// </summary>
public sealed class TrainingWorker(ResultsStore store, Action<WorkerMessage> emit, TimeProvider? time = null)
{
    const int MetricsEvery = 10;

    /// <summary>The LoRA metadata key naming the job that wrote the file, so a rerun can recognize its own finished file.</summary>
    public const string JobIdMetadataKey = "sweeprunner_job_id";

    // Another process may be probing the lock (to learn whether the job is alive) at the moment this one takes it.
    static readonly TimeSpan LockPatience = TimeSpan.FromSeconds(2);
    readonly TimeProvider _time = time ?? TimeProvider.System;
    readonly TestFault? _fault = TestFault.FromEnvironment();
    string? _loadedModel;
    TrainingBaseModel? _model;

    // The trainer casts the frozen networks to half precision for an fp16/bf16 job and back afterwards, which
    // rounds the base weights: the next job then reloads them from the file.
    bool _modelRounded;
    int _modelLoads;

    // The automatic-score models of the run, loaded at the first job that names them.
    AutoScoreEncoders? _encoders;

    // Jobs of one worker share a dataset: it is scanned once, like the plan scanned it once.
    readonly Dictionary<(string Folder, string CaptionExtension), DatasetInfo> _datasets = new();

    public int Run(WorkerRequest request, CancellationToken stop)
    {
        var device = ResolveDevice(request.Device);
        using var cache = new LatentCache(Path.Combine(request.ResultsFolder, ".cache", "latents"));
        using var encoders = new AutoScoreEncoders(store, device);
        _encoders = encoders;
        try
        {
            foreach (var id in request.JobIds)
            {
                if (stop.IsCancellationRequested) break;
                var job = Wait(store.GetJobSpecAsync(request.SweepName, id));
                if (RunJob(job, request, device, cache, stop) is { } exitCode) return exitCode;
            }
            return 0;
        }
        catch (Exception e) when (IsDiskFull(e))
        {
            Console.Error.WriteLine($"error: the disk is full ({e.Message})");
            return WorkerExitCodes.DiskFull;
        }
        finally
        {
            _model?.Model.Dispose();
        }
    }

    /// <returns>The exit code to end the process with (a transient failure, a full disk), or null to go on.</returns>
    int? RunJob(JobSpec job, WorkerRequest request, Device device, LatentCache cache, CancellationToken stop)
    {
        var settings = job.Settings;
        var folderName = SafeName(job.Label);
        var outputFolder = Path.Combine(request.ResultsFolder, job.SweepName, folderName);
        var outputName = settings[SettingsCatalog.OutputName] as string ?? folderName;
        IReadOnlyList<SamplePrompt> prompts;
        try
        {
            prompts = job.PreviewPrompts();
        }
        catch (FileNotFoundException e)
        {
            // Planning refuses a missing prompt file; a spec recorded by an older SweepRunner may still lack one.
            var failed = Wait(store.StartAttemptAsync(new AttemptStart(job.JobId, Environment.MachineName, Environment.ProcessId, DeviceName(device))));
            emit(new JobStarted(job.JobId, job.Label, failed, 0, job.TotalSteps));
            Wait(store.FinishAttemptAsync(failed, AttemptOutcome.Failed, e.Message));
            emit(new JobFinished(job.JobId, AttemptOutcome.Failed, e.Message));
            return null;
        }
        // The last state is kept only while a longer job is still to continue this one.
        var keepFinalState = job.PrefixKey is not null && Wait(store.CountUnfinishedContinuersAsync(job.JobId)) > 0;
        var trainingJob = new TrainingJob(settings, outputFolder, outputName, prompts)
        {
            ExtraMetadata = new Dictionary<string, string> { [JobIdMetadataKey] = job.JobId },
            PrefixKey = job.PrefixKey,
            FinalStatePath = keepFinalState ? FinalTrainingStates.PathOf(request.ResultsFolder, job.JobId) : null,
        };
        // Held until the attempt is recorded as ended: no second process trains this job meanwhile.
        using var jobLock = JobLock.TryAcquire(request.ResultsFolder, job.JobId, LockPatience);
        if (jobLock is null)
        {
            emit(new JobBusy(job.JobId, job.Label));
            return null;
        }
        if (FinishedLoraEpoch(trainingJob, job) is { } finalEpoch)
        {
            RecordFinishedEarlier(trainingJob, job, finalEpoch, request, device);
            return null;
        }
        // Its own saved state first (a resumed attempt), else the final state of the shorter job it continues, else step 0.
        var ownState = File.Exists(trainingJob.StatePath);
        var continued = ownState ? null : Continuation(job, request);
        var resumedFrom = ownState ? TrainingState.ReadPosition(trainingJob.StatePath).Step : continued?.Step ?? 0;
        if (continued is not null) trainingJob = trainingJob with { ContinueFrom = FinalTrainingStates.PathOf(request.ResultsFolder, continued.JobId) };

        var attemptId = Wait(store.StartAttemptAsync(new AttemptStart(job.JobId, Environment.MachineName, Environment.ProcessId, DeviceName(device), resumedFrom)));
        if (continued is not null) TakeSharedHistory(job, continued, attemptId);
        emit(new JobStarted(job.JobId, job.Label, attemptId, resumedFrom, job.TotalSteps, continued?.Name));
        using var heartbeat = new Timer(_ => _ = store.HeartbeatAsync(attemptId), null, request.HeartbeatInterval, request.HeartbeatInterval);
        var clock = Stopwatch.StartNew();
        var loadSeconds = 0.0;
        TrainingPhaseTimes? phases = null;
        AttemptOutcome outcome;
        string? error = null;
        try
        {
            loadSeconds = EnsureModel(job, device);
            _modelRounded = settings[SettingsCatalog.MixedPrecision] as string is "fp16" or "bf16";
            var dataset = TrainingDataset.Load(Dataset(job), settings, job.ValidationFolder is { } validation ? DatasetScanner.Scan(validation, job.CaptionExtension) : null);
            var trainer = new LoraTrainer(OptimizerFactory.Create, cache, _time);
            phases = trainer.PhaseTimes;
            (outcome, error) = Train(trainer, trainingJob, job, dataset, attemptId, request, ownState, stop);
        }
        catch (TrainingDivergedException e)
        {
            (outcome, error) = (AttemptOutcome.Diverged, e.Message);
        }
        catch (Exception e) when (IsDiskFull(e))
        {
            heartbeat.Change(Timeout.Infinite, Timeout.Infinite);
            Console.Error.WriteLine($"error: the disk is full ({e.Message}); '{job.Label}' stopped, its last saved training state is kept");
            TryRecordInterrupted(attemptId, $"the disk is full ({e.Message}); free space and run again to resume from the last saved state", Timings(loadSeconds, phases, clock));
            return WorkerExitCodes.DiskFull;
        }
        catch (Exception e) when (TransientFailure.Is(e))
        {
            Wait(store.FinishAttemptAsync(attemptId, AttemptOutcome.Failed, "transient: " + e.Message, Timings(loadSeconds, phases, clock)));
            Wait(store.AddEventAsync(EventLevel.Warning, $"'{job.Label}' failed for a transient reason: {e.Message}", job.SweepName, job.JobId));
            return WorkerExitCodes.TransientFailure;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            (outcome, error) = (AttemptOutcome.Failed, $"{e.GetType().Name}: {e.Message}");
        }
        heartbeat.Change(Timeout.Infinite, Timeout.Infinite);
        if (outcome == AttemptOutcome.Succeeded && File.Exists(trainingJob.StatePath)) File.Delete(trainingJob.StatePath);
        Wait(store.FinishAttemptAsync(attemptId, outcome, error, Timings(loadSeconds, phases, clock)));
        if (outcome == AttemptOutcome.Succeeded && job.Continues is { } source) ReleaseFinalState(source.JobId, request.ResultsFolder);
        if (error != null) Wait(store.AddEventAsync(outcome == AttemptOutcome.Interrupted ? EventLevel.Info : EventLevel.Error, $"'{job.Label}': {error}", job.SweepName, job.JobId));
        if (outcome == AttemptOutcome.Succeeded && job.AutoScores is { } models) ScorePreviews(job, models);
        emit(new JobFinished(job.JobId, outcome, error));
        return null;
    }

    /// <summary>
    /// Scores the job's previews by the run's automatic-score models once it has trained. A model that cannot be loaded
    /// or a preview that cannot be read is reported as a warning: the training result stands, and 'sweeprunner autoscore'
    /// can score later.
    /// </summary>
    void ScorePreviews(JobSpec job, Core.Sweeps.AutoScoreModels models)
    {
        try
        {
            var previews = Wait(store.GetPreviewsAsync(job.JobId));
            if (previews.Count == 0) return;
            var added = Wait(_encoders!.ScorerFor(models).ScorePreviewsAsync(job, previews));
            Wait(store.AddEventAsync(EventLevel.Info, $"'{job.Label}': {added} automatic score(s) of {previews.Count} preview(s)", job.SweepName, job.JobId));
        }
        catch (Exception e) when (e is ImageEncoderException or IOException or InvalidOperationException or SixLabors.ImageSharp.ImageFormatException)
        {
            Console.Error.WriteLine($"warning: automatic scores of '{job.Label}' failed: {e.Message}");
            Wait(store.AddEventAsync(EventLevel.Warning, $"automatic scores of '{job.Label}' failed: {e.Message}; 'sweeprunner autoscore' can score its previews later",
                job.SweepName, job.JobId));
        }
    }

    /// <summary>
    /// The shorter job this one continues, when its final training state is there; otherwise null, and the job trains
    /// from step 0 (the shorter job failed, diverged or was not trained, so it left no final state).
    /// </summary>
    JobContinuation? Continuation(JobSpec job, WorkerRequest request)
    {
        if (job.Continues is not { } continues) return null;
        if (File.Exists(FinalTrainingStates.PathOf(request.ResultsFolder, continues.JobId))) return continues;
        Wait(store.AddEventAsync(EventLevel.Warning,
            $"'{job.Label}' was to continue '{continues.Label}' from step {continues.Step}, but '{continues.Label}' left no final training state (it failed, diverged or was not trained); training it from step 0",
            job.SweepName, job.JobId));
        return null;
    }

    /// <summary>The continued job's previews, checkpoints and metrics of the shared steps become this job's too.</summary>
    void TakeSharedHistory(JobSpec job, JobContinuation continued, long attemptId)
    {
        var epoch = continued.Step / Math.Max(1, job.StepsPerEpoch);
        // This job would have saved a file at that epoch itself when it falls on its save cadence; the continued job's final file holds those weights.
        var savesThere = job.Settings[SettingsCatalog.SaveEveryNEpochs] is long every && every > 0 && epoch % every == 0;
        var shared = Wait(store.CopySharedHistoryAsync(continued.JobId, attemptId, continued.Step, epoch, savesThere));
        Wait(store.AddEventAsync(EventLevel.Info,
            $"'{job.Label}' continues '{continued.Label}' from step {continued.Step} (epoch {epoch}): {shared.Metrics} metric(s), {shared.ValidationLosses} validation loss(es), {shared.Previews} preview(s) and {shared.Checkpoints} checkpoint(s) of the shared steps are taken over",
            job.SweepName, job.JobId));
    }

    /// <summary>Deletes a continued job's final training state once no job that continues it is left to train.</summary>
    void ReleaseFinalState(string continuedJobId, string resultsFolder)
    {
        var path = FinalTrainingStates.PathOf(resultsFolder, continuedJobId);
        if (File.Exists(path) && Wait(store.CountUnfinishedContinuersAsync(continuedJobId)) == 0) File.Delete(path);
    }

    bool IsDiskFull(Exception e)
    {
        for (Exception? inner = e; inner != null; inner = inner.InnerException)
            if (inner is ResultsDiskFullException || ResultsDiskFullException.Means(inner, store.DatabasePath)) return true;
        return false;
    }

    /// <summary>Records the attempt as interrupted if the disk still takes it; otherwise the next run sees its lock free and does.</summary>
    void TryRecordInterrupted(long attemptId, string reason, PhaseTimings timings)
    {
        try
        {
            Wait(store.FinishAttemptAsync(attemptId, AttemptOutcome.Interrupted, reason, timings));
        }
        catch (ResultsDiskFullException)
        {
        }
    }

    /// <summary>
    /// Whether the job's final LoRA is already in place, written by an earlier attempt of this very job that died before
    /// it recorded its success. The file is renamed into place complete, after the last previews, so its presence with
    /// this job's id and all its steps in the metadata means the training finished. Returns its epoch (ss_epoch), or null.
    /// </summary>
    static long? FinishedLoraEpoch(TrainingJob trainingJob, JobSpec job)
    {
        if (!File.Exists(trainingJob.FinalLoraPath)) return null;
        try
        {
            var metadata = SafetensorsFile.ReadHeader(trainingJob.FinalLoraPath).Metadata;
            var complete = metadata.GetValueOrDefault(JobIdMetadataKey) == job.JobId
                           && metadata.GetValueOrDefault("ss_steps") == job.TotalSteps.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return complete && long.TryParse(metadata.GetValueOrDefault("ss_epoch"), System.Globalization.CultureInfo.InvariantCulture, out var epoch) ? epoch : null;
        }
        catch (SafetensorsFormatException)
        {
            return null;
        }
    }

    void RecordFinishedEarlier(TrainingJob trainingJob, JobSpec job, long finalEpoch, WorkerRequest request, Device device)
    {
        var attemptId = Wait(store.StartAttemptAsync(new AttemptStart(job.JobId, Environment.MachineName, Environment.ProcessId, DeviceName(device), job.TotalSteps)));
        emit(new JobStarted(job.JobId, job.Label, attemptId, job.TotalSteps, job.TotalSteps));
        Wait(store.RecordCheckpointAsync(attemptId, finalEpoch, ArtifactFile.Describe(request.ResultsFolder, trainingJob.FinalLoraPath)));
        if (File.Exists(trainingJob.StatePath)) File.Delete(trainingJob.StatePath);
        Wait(store.FinishAttemptAsync(attemptId, AttemptOutcome.Succeeded, null, new PhaseTimings(0, 0, 0, 0, 0)));
        Wait(store.AddEventAsync(EventLevel.Info,
            $"'{job.Label}': its final LoRA was complete, written by an earlier attempt that ended before recording it; recorded as succeeded without training again",
            job.SweepName, job.JobId));
        emit(new JobFinished(job.JobId, AttemptOutcome.Succeeded, null));
    }

    static string DeviceName(Device device) => device.type.ToString().ToLowerInvariant();

    (AttemptOutcome, string?) Train(LoraTrainer trainer, TrainingJob trainingJob, JobSpec job, TrainingDataset dataset, long attemptId,
        WorkerRequest request, bool resume, CancellationToken stop)
    {
        var limit = job.Settings[SettingsCatalog.MaxJobMinutes] is double minutes ? TimeSpan.FromMinutes(minutes) : (TimeSpan?)null;
        // The state is also saved at every checkpoint epoch, so a crash loses at most the epochs since then.
        var checkpointSteps = job.Settings[SettingsCatalog.SaveEveryNEpochs] is long every ? job.StepsPerEpoch * every : 0;
        var started = _time.GetTimestamp();
        var lastStateSave = started;
        var pending = new List<MetricPoint>();
        var averageLoss = new MovingAverageLoss((int)Math.Min(int.MaxValue, Math.Max(1, job.StepsPerEpoch)));
        var timedOut = false;
        // This attempt's validation losses, for the best epoch shown as it goes (the report reads the job's whole history).
        var validated = new List<ValidationLoss>();
        var callbacks = new TrainingCallbacks
        {
            Step = progress =>
            {
                _fault?.Check(job.Label, progress.Step);
                pending.Add(new MetricPoint(progress.Step, progress.Epoch, progress.Loss, progress.LearningRate, progress.SamplesPerSecond));
                averageLoss.Add(progress.Loss);
                if (pending.Count >= MetricsEvery || progress.Step == progress.TotalSteps)
                {
                    Wait(store.AddMetricsAsync(attemptId, pending.ToList()));
                    pending.Clear();
                    emit(new JobProgress(job.JobId, progress.Epoch, progress.Step, progress.TotalSteps, progress.Loss, progress.LearningRate, progress.SamplesPerSecond, averageLoss.Value));
                }
            },
            LoraSaved = saved =>
            {
                if (saved.IsFinal) _fault?.CheckFinalLora(job.Label);
                Wait(store.RecordCheckpointAsync(attemptId, saved.IsFinal ? job.Settings[SettingsCatalog.Epochs] is long e ? e : saved.Epoch : saved.Epoch,
                    ArtifactFile.Describe(request.ResultsFolder, saved.Path)));
            },
            PreviewSaved = saved => Wait(store.RecordPreviewAsync(attemptId, Preview(trainingJob, job, saved, request.ResultsFolder))),
            Validated = loss =>
            {
                Wait(store.RecordValidationLossAsync(attemptId, loss));
                validated.Add(loss);
                emit(new JobValidated(job.JobId, loss.Epoch, loss.Loss, loss.Images, ValidationLoss.BestEpochOf(validated)));
            },
            PauseAfterStep = step =>
            {
                var now = _time.GetTimestamp();
                if (limit is { } l && _time.GetElapsedTime(started, now) >= l) timedOut = true;
                var due = _time.GetElapsedTime(lastStateSave, now) >= request.StateSaveInterval
                          || checkpointSteps > 0 && step % checkpointSteps == 0 && step < job.TotalSteps;
                if (due) lastStateSave = now;
                return stop.IsCancellationRequested || timedOut || due;
            },
        };
        var current = trainingJob with { ResumeFrom = resume ? trainingJob.StatePath : null };
        while (true)
        {
            TrainingResult result;
            try
            {
                result = trainer.Train(current, _model!, dataset, callbacks, CancellationToken.None);
            }
            catch (TrainingDivergedException)
            {
                // The steps before the one that diverged are the run-up the loss chart and status show.
                if (pending.Count > 0) Wait(store.AddMetricsAsync(attemptId, pending.ToList()));
                throw;
            }
            if (pending.Count > 0)
            {
                Wait(store.AddMetricsAsync(attemptId, pending.ToList()));
                pending.Clear();
            }
            if (result.Completed) return (AttemptOutcome.Succeeded, null);
            if (stop.IsCancellationRequested) return (AttemptOutcome.Interrupted, $"stopped at step {result.Steps}; the training state is saved and 'sweeprunner run' resumes it");
            if (timedOut) return (AttemptOutcome.TimedOut, $"max_job_minutes ({job.Settings[SettingsCatalog.MaxJobMinutes]}) reached at step {result.Steps}");
            // A periodic state save: continue from the state just written.
            current = trainingJob with { ResumeFrom = result.StatePath };
        }
    }

    /// <summary>Loads the job's base model unless the one loaded is the same; returns the seconds spent.</summary>
    double EnsureModel(JobSpec job, Device device)
    {
        var name = job.BaseModel;
        if (_model != null && _loadedModel == name && !_modelRounded) return 0;
        _model?.Model.Dispose();
        _model = null;
        var clock = Stopwatch.StartNew();
        var location = ModelLocator.Resolve(name);
        var model = ModelLoader.Load(location, new ModelLoadOptions(device));
        var tokenizer = TokenizerLocator.Load(location);
        try
        {
            TokenizerFit.Check(tokenizer, model.Config.TextEncoder);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        _model = new TrainingBaseModel(model, tokenizer, location.Name, CheckpointPath: location.Path);
        _loadedModel = name;
        _modelRounded = false;
        _modelLoads++;
        var seconds = clock.Elapsed.TotalSeconds;
        Wait(store.AddEventAsync(EventLevel.Info, $"loaded base model {location.Name} in {seconds:0.0} s (load {_modelLoads} in worker {Environment.ProcessId})", job.SweepName));
        emit(new ModelLoaded(location.Name, seconds, _modelLoads));
        return seconds;
    }

    /// <summary>The job's dataset, scanned as the plan scanned it; a dataset changed since planning is refused, since the job id names the old one.</summary>
    DatasetInfo Dataset(JobSpec job)
    {
        if (!_datasets.TryGetValue((job.DatasetFolder, job.CaptionExtension), out var dataset))
            _datasets[(job.DatasetFolder, job.CaptionExtension)] = dataset = DatasetScanner.Scan(job.DatasetFolder, job.CaptionExtension);
        if (dataset.Fingerprint != job.DatasetFingerprint)
            throw new DatasetException($"dataset folder '{job.DatasetFolder}' changed after the sweep was planned; run 'sweeprunner run' again to plan the changed dataset as new jobs");
        return dataset;
    }

    static PreviewImage Preview(TrainingJob trainingJob, JobSpec job, SavedPreview saved, string resultsFolder)
    {
        var prompt = trainingJob.PreviewPrompts[saved.PromptIndex];
        var sampler = prompt.Sampler ?? (string)job.Settings[SettingsCatalog.SampleSampler]!;
        return new PreviewImage(saved.Epoch, saved.PromptIndex, prompt.Prompt, prompt.NegativePrompt ?? "", saved.Seed, sampler,
            prompt.Steps, prompt.GuidanceScale, prompt.Width, prompt.Height, ArtifactFile.Describe(resultsFolder, saved.Path));
    }

    static PhaseTimings Timings(double loadSeconds, TrainingPhaseTimes? phases, Stopwatch clock)
    {
        var (cache, sample, save) = phases is null ? (0, 0, 0) : (phases.CacheSeconds, phases.SampleSeconds, phases.SaveSeconds);
        var train = Math.Max(0, clock.Elapsed.TotalSeconds - loadSeconds - cache - sample - save);
        return new PhaseTimings(loadSeconds, cache, train, sample, save);
    }

    static Device ResolveDevice(TrainingDevice device) => device switch
    {
        TrainingDevice.Cpu => CPU,
        TrainingDevice.Cuda => cuda.is_available() ? CUDA : throw new InvalidOperationException("--device cuda: CUDA is not available (CPU build of TorchSharp, or no GPU/driver). Build with -p:TorchBackend=cuda or use --device cpu."),
        _ => cuda.is_available() ? CUDA : CPU,
    };

    /// <summary>A label as a folder name: characters that are not letters, digits, '-', '_', '.', '=' or ',' become '_'.</summary>
    public static string SafeName(string label)
    {
        var chars = label.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '=' or ',' ? c : '_').ToArray();
        var name = new string(chars).Trim('.');
        return name.Length == 0 ? "job" : name.Length > 120 ? name[..120] : name;
    }

    static T Wait<T>(Task<T> task) => task.GetAwaiter().GetResult();

    static void Wait(Task task) => task.GetAwaiter().GetResult();
}
