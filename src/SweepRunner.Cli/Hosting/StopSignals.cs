using System.Runtime.InteropServices;

namespace SweepRunner.Cli.Hosting;

/// <summary>
/// Ctrl-C and SIGTERM for a long-running command: the first asks for a graceful stop (<see cref="Stop"/>), the
/// second for an immediate one (<see cref="Kill"/>). The process is never ended by the signal itself.
/// </summary>
public sealed class StopSignals : IDisposable
{
    readonly CancellationTokenSource _stop = new();
    readonly CancellationTokenSource _kill = new();
    readonly ConsoleCancelEventHandler _onCancel;
    readonly PosixSignalRegistration _onTerm;
    readonly Action? _onFirst;

    /// <param name="onFirst">Called once, on the first signal (e.g. to say what happens on a second one).</param>
    public StopSignals(Action? onFirst = null)
    {
        _onFirst = onFirst;
        _onCancel = (_, e) =>
        {
            e.Cancel = true;
            Signal();
        };
        Console.CancelKeyPress += _onCancel;
        _onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            Signal();
        });
    }

    public CancellationToken Stop => _stop.Token;

    public CancellationToken Kill => _kill.Token;

    /// <summary>Asks for the graceful stop, as a first signal would; later calls do nothing.</summary>
    public void RequestStop()
    {
        lock (_stop)
        {
            if (!_stop.IsCancellationRequested) FirstStop();
        }
    }

    void Signal()
    {
        lock (_stop)
        {
            if (_stop.IsCancellationRequested) _kill.Cancel();
            else FirstStop();
        }
    }

    void FirstStop()
    {
        _onFirst?.Invoke();
        _stop.Cancel();
    }

    public void Dispose()
    {
        Console.CancelKeyPress -= _onCancel;
        _onTerm.Dispose();
        _stop.Dispose();
        _kill.Dispose();
    }
}
