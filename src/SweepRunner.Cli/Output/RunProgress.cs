using System.Globalization;
using Spectre.Console;
using SweepRunner.Core.Planning;
using SweepRunner.Core.Results;
using SweepRunner.Core.Running;
using SweepRunner.Supervisor;

namespace SweepRunner.Cli.Output;

/// <summary>
/// Draws a run: one line per job event, and progress lines (the sweep's jobs done / total and ETA, the current
/// job's epoch, step, loss, samples/s and ETA) every few seconds on a terminal, once a minute otherwise.
/// </summary>
public sealed class RunProgress(IAnsiConsole console) : IRunObserver
{
    readonly object _gate = new();
    readonly TimeSpan _interval = console.Profile.Out.IsTerminal ? TimeSpan.FromSeconds(5) : TimeSpan.FromMinutes(1);
    DateTime _lastLine = DateTime.MinValue;
    Dictionary<string, PlannedJob> _jobs = new();
    int _total;
    int _done;
    double _remainingEstimate;
    double _measuredRatio = 1;
    DateTime _jobStarted;
    long _jobStartStep;

    // Off a terminal (a log file, a pipe, a scheduler's output) one event stays one line, however long.
    const int LogWidth = 4096;

    public void Planned(SweepPlan plan, IReadOnlyList<PlannedJob> toRun, int skippedSucceeded, int markedInterrupted)
    {
        _jobs = toRun.ToDictionary(j => j.Id);
        _total = toRun.Count;
        _remainingEstimate = toRun.Sum(j => j.EstimatedSeconds);
        Line($"sweep {plan.Sweep.Name}: {toRun.Count} job(s) to train, {skippedSucceeded} already succeeded" +
             (markedInterrupted > 0 ? $", {markedInterrupted} attempt(s) of a stopped run marked interrupted" : ""));
    }

    public void Worker(WorkerMessage message)
    {
        switch (message)
        {
            case ModelLoaded loaded:
                Line($"loaded base model {loaded.Model} in {loaded.Seconds:0.0} s");
                break;
            case JobStarted started:
                _jobStarted = DateTime.UtcNow;
                _jobStartStep = started.ResumedFromStep;
                var diff = _jobs.TryGetValue(started.JobId, out var job) ? job.DiffText : "";
                Line($"[{_done + 1}/{_total}] {started.Label} ({diff})" + (started.ContinuesLabel is { } continues ? $": continuing {continues} at step {started.ResumedFromStep}"
                    : started.ResumedFromStep > 0 ? $": resuming at step {started.ResumedFromStep}" : "") + $", {started.TotalSteps} steps");
                break;
            case JobProgress progress:
                var now = DateTime.UtcNow;
                var elapsed = (now - _jobStarted).TotalSeconds;
                var stepsDone = progress.Step - _jobStartStep;
                var jobEta = stepsDone > 0 ? elapsed / stepsDone * (progress.TotalSteps - progress.Step) : double.NaN;
                if (_jobs.TryGetValue(progress.JobId, out var running) && stepsDone > 0 && running.EstimatedSeconds > 0)
                    _measuredRatio = elapsed / stepsDone / (running.EstimatedSeconds / running.Steps.TotalSteps);
                if (now - _lastLine < _interval && progress.Step != progress.TotalSteps) break;
                var sweepEta = (_remainingEstimate - (running?.EstimatedSeconds ?? 0)) * _measuredRatio + (double.IsNaN(jobEta) ? 0 : jobEta);
                Line(string.Create(CultureInfo.InvariantCulture,
                    $"  epoch {progress.Epoch} step {progress.Step}/{progress.TotalSteps} loss {progress.Loss:0.0000} avr_loss {progress.AverageLoss:0.0000} lr {progress.LearningRate:0.###e+0} {progress.SamplesPerSecond:0.0} samples/s, job ETA {Durations.Short(double.IsNaN(jobEta) ? 0 : jobEta)}, sweep {_done}/{_total} done, ETA {Durations.Short(Math.Max(0, sweepEta))}"));
                break;
            case JobValidated validated:
                var lossText = validated.Loss is { } loss ? loss.ToString("0.0000", CultureInfo.InvariantCulture) : "not a number";
                var bestText = validated.BestEpoch is { } best ? string.Create(CultureInfo.InvariantCulture, $", best epoch so far {best}") : "";
                Line(string.Create(CultureInfo.InvariantCulture, $"  epoch {validated.Epoch} validation loss {lossText} over {validated.Images} image(s){bestText}"));
                break;
            case JobFinished finished:
                _done++;
                if (_jobs.TryGetValue(finished.JobId, out var ended)) _remainingEstimate -= ended.EstimatedSeconds;
                var label = ended?.Label ?? finished.JobId;
                Line($"  {label}: {StoredNames.Of(finished.Outcome)}" + (finished.Error is { } e ? $": {FirstLine(e)}" : ""));
                break;
        }
    }

    public void Note(string text) => Line(text.StartsWith("warning: ", StringComparison.Ordinal) ? text : "note: " + text);

    public void Finish(RunSummary summary)
    {
        Line($"{summary.Sweep}: {summary.Count(AttemptOutcome.Succeeded)} succeeded, {summary.Count(AttemptOutcome.Failed)} failed, {summary.Count(AttemptOutcome.Diverged)} diverged, " +
             $"{summary.Count(AttemptOutcome.TimedOut)} timed out, {summary.Count(AttemptOutcome.Interrupted)} interrupted; {summary.SkippedSucceeded} had succeeded before" +
             (summary.BusyElsewhere.Count > 0 ? $"; {summary.BusyElsewhere.Count} left to the other process training them ({string.Join(", ", summary.BusyElsewhere)})" : "") +
             (summary.Stopped ? " (stopped early: run the same command again to resume)" : ""));
        Line($"results: {summary.ResultsFolder}");
        var program = LaunchCommand.Current;
        var results = LaunchCommand.Quote(summary.ResultsFolder);
        var sweep = LaunchCommand.Quote(summary.Sweep);
        Line($"next: {program} status {sweep} --results {results}");
        Line($"      {program} serve --results {results}      (score the previews in a browser)");
        Line($"      {program} report {sweep} --results {results}");
        Line($"      {program} export {sweep} --format csv --results {results}");
    }

    static string FirstLine(string text) => text.Split('\n')[0];

    void Line(string text)
    {
        lock (_gate)
        {
            if (!console.Profile.Out.IsTerminal && console.Profile.Width < LogWidth) console.Profile.Width = LogWidth;
            _lastLine = DateTime.UtcNow;
            console.WriteLine(text);
        }
    }
}
