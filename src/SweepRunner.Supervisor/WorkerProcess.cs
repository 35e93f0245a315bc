using System.Diagnostics;
using System.Runtime.InteropServices;
using SweepRunner.Core.Running;

namespace SweepRunner.Supervisor;

/// <summary>How to start a worker: the program and the arguments before the worker's own.</summary>
public sealed record WorkerLaunch(string FileName, IReadOnlyList<string> LeadingArguments);

/// <summary>Runs each worker as a child process on this machine: <c>sweeprunner worker --sweep NAME --job ID…</c>.</summary>
public sealed class LocalWorkerBackend(WorkerLaunch launch) : IWorkerBackend
{
    public IRunningWorker Start(WorkerAssignment assignment, Action<WorkerMessage> onMessage)
    {
        var arguments = new List<string>
        {
            "worker", "--sweep", assignment.SweepName, "--results", assignment.ResultsFolder, "--device", assignment.Device.Word(),
            "--state-minutes", assignment.StateSaveMinutes.ToString(System.Globalization.CultureInfo.InvariantCulture), "--supervised",
        };
        foreach (var id in assignment.JobIds) arguments.AddRange(["--job", id]);
        return new WorkerProcess(launch, arguments, onMessage);
    }
}

/// <summary>
/// One training worker process: started with the jobs it should train, its standard output read line by
/// line (worker messages go to the callback), the tail of its standard error kept for crash reports.
/// </summary>
internal sealed partial class WorkerProcess : IRunningWorker
{
    const int StderrLines = 40;
    readonly Process _process;
    readonly Queue<string> _stderr = new();
    readonly TaskCompletionSource _stdoutDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly TaskCompletionSource _stderrDone = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public WorkerProcess(WorkerLaunch command, IEnumerable<string> arguments, Action<WorkerMessage> onMessage)
    {
        var start = new ProcessStartInfo(command.FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // Never written: it closes when this process ends, however it ends, and the worker then stops (--supervised).
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in command.LeadingArguments.Concat(arguments)) start.ArgumentList.Add(a);
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) { _stdoutDone.TrySetResult(); return; }
            if (WorkerMessage.Parse(e.Data) is { } message) onMessage(message);
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) { _stderrDone.TrySetResult(); return; }
            lock (_stderr)
            {
                _stderr.Enqueue(e.Data);
                while (_stderr.Count > StderrLines) _stderr.Dequeue();
            }
        };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string StderrTail
    {
        get { lock (_stderr) return string.Join('\n', _stderr); }
    }

    /// <summary>Waits for the worker to end and for its output to be read; returns its exit code.</summary>
    public async Task<int> WaitAsync(CancellationToken killNow)
    {
        try
        {
            await _process.WaitForExitAsync(killNow);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }
        await Task.WhenAll(_stdoutDone.Task, _stderrDone.Task);
        return _process.ExitCode;
    }

    /// <summary>Asks the worker to stop after saving its training state (SIGINT, as Ctrl-C would).</summary>
    public void RequestStop()
    {
        if (_process.HasExited) return;
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) _ = SendSignal(_process.Id, 2);
        else _process.Kill(entireProcessTree: true);
    }

    public void Dispose() => _process.Dispose();

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
