namespace SweepRunner.Worker;

/// <summary>
/// A test-only switch that makes the worker die like a native crash (SIGABRT): environment variable
/// <c>SWEEPRUNNER_TEST_CRASH=&lt;label&gt;:&lt;step&gt;</c> ends the process when that job reaches that step, and
/// <c>&lt;label&gt;:final-lora</c> right after that job's final LoRA is renamed into place, before anything records it.
/// </summary>
public sealed record TestFault(string Label, long? Step)
{
    public const string Variable = "SWEEPRUNNER_TEST_CRASH";
    const string AfterFinalLora = "final-lora";

    public static TestFault? FromEnvironment()
    {
        var value = Environment.GetEnvironmentVariable(Variable);
        var at = value?.LastIndexOf(':') ?? -1;
        if (at <= 0) return null;
        var point = value![(at + 1)..];
        if (point == AfterFinalLora) return new TestFault(value[..at], null);
        return long.TryParse(point, out var step) ? new TestFault(value[..at], step) : null;
    }

    public void Check(string label, long step)
    {
        if (label == Label && step >= Step) Environment.FailFast($"test crash of '{label}' at step {step} ({Variable})");
    }

    public void CheckFinalLora(string label)
    {
        if (label == Label && Step is null) Environment.FailFast($"test crash of '{label}' after its final LoRA was written ({Variable})");
    }
}
