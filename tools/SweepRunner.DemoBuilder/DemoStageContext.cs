using static TorchSharp.torch;

namespace SweepRunner.DemoBuilder;

/// <summary>What every training stage shares: the seeded generators, the clock and the progress sink.</summary>
internal sealed class DemoStageContext(Random random, Generator generator, TimeProvider time, long startTimestamp,
    int reportEvery, Action<DemoTrainingProgress>? progress)
{
    /// <summary>Batch order and caption dropout.</summary>
    public Random Random { get; } = random;

    /// <summary>Noise, timesteps and VAE latent samples.</summary>
    public Generator Generator { get; } = generator;

    public TimeProvider Time { get; } = time;

    /// <summary>Steps between progress reports during training.</summary>
    public int ReportEvery { get; } = reportEvery;

    public TimeSpan Elapsed => Time.GetElapsedTime(startTimestamp);

    public void Report(DemoTrainingProgress report) => progress?.Invoke(report);

    public void ReportStage(DemoTrainingStage stage, string note) => Report(new DemoTrainingProgress(stage, 1, 1, null, null, null, Elapsed, note));

    /// <summary>True when step <paramref name="step"/> (1-based) ends a report window.</summary>
    public bool IsReportStep(int step, int totalSteps) => step % ReportEvery == 0 || step == totalSteps;
}
