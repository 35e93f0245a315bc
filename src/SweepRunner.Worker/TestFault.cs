namespace SweepRunner.Worker;

/// <summary>
/// A test-only switch that makes the worker die like a native crash: environment variable
/// <c>SWEEPRUNNER_TEST_CRASH=&lt;label&gt;:&lt;step&gt;</c> ends the process (SIGABRT) when that job reaches that step.
/// </summary>
public sealed record TestFault(string Label, long Step)
{
    public const string Variable = "SWEEPRUNNER_TEST_CRASH";

    public static TestFault? FromEnvironment()
    {
        var value = Environment.GetEnvironmentVariable(Variable);
        var at = value?.LastIndexOf(':') ?? -1;
        return at > 0 && long.TryParse(value![(at + 1)..], out var step) ? new TestFault(value[..at], step) : null;
    }

    public void Check(string label, long step)
    {
        if (label == Label && step >= Step) Environment.FailFast($"test crash of '{label}' at step {step} ({Variable})");
    }
}
