using SweepRunner.Core.Running;
namespace SweepRunner.Supervisor;

/// <summary>What <c>sweeprunner run</c> was asked to do.</summary>
public sealed record RunOptions(
    string SweepFile,
    string ResultsFolder,
    TrainingDevice Device,
    IReadOnlySet<string>? OnlyLabels = null,
    int? MaxJobs = null)
{
    /// <summary>An attempt whose heartbeat is older than this belongs to a runner that died.</summary>
    public TimeSpan StaleHeartbeat { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>How often a job that failed for a transient reason is tried again.</summary>
    public int TransientRetries { get; init; } = 2;

    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a running job's training state is saved (it is also saved at every checkpoint epoch).</summary>
    public double StateSaveMinutes { get; init; } = 10;

    /// <summary>Models that score every preview automatically, in place of the sweep's auto_scores:; null keeps the sweep's.</summary>
    public Core.Sweeps.AutoScoreModels? AutoScores { get; init; }
}
