using System.Globalization;
using SweepRunner.Core.Results;

namespace SweepRunner.TestSupport;

/// <summary>Small sweeps as the planner would register them: one job per network_dim value.</summary>
public static class Sweeps
{
    public static JobRegistration Job(int networkDim, long totalSteps = 100, double estimatedSeconds = 60, string? label = null, string? duplicateOf = null) =>
        new(
            JobId: string.Create(CultureInfo.InvariantCulture, $"job-dim{networkDim}"),
            Label: label ?? string.Create(CultureInfo.InvariantCulture, $"dim{networkDim}"),
            SettingsJson: string.Create(CultureInfo.InvariantCulture, $$"""{"learning_rate":0.0001,"network_alpha":1,"network_dim":{{networkDim}},"optimizer_type":"AdamW8bit"}"""),
            DiffJson: string.Create(CultureInfo.InvariantCulture, $$"""{"network_dim":{{networkDim}}}"""),
            DuplicateOfLabel: duplicateOf,
            StepsPerEpoch: totalSteps / 10,
            TotalSteps: totalSteps,
            EstimatedSeconds: estimatedSeconds);

    public static SweepRegistration Sweep(string name, params JobRegistration[] jobs) =>
        new(name, $"sweeps/{name}.yaml", $"name: {name}\nbase: {{}}\n", jobs);

    public static SweepRegistration DimSweep(string name, params int[] dims) =>
        Sweep(name, dims.Select(dim => Job(dim)).ToArray());
}
