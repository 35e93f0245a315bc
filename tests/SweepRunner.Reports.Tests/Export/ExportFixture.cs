using SweepRunner.Core.Results;
using SweepRunner.Store;

namespace SweepRunner.Reports.Tests.Export;

/// <summary>A real store with a sweep whose labels, settings and scorers need CSV quoting.</summary>
public static class ExportFixture
{
    public const string AwkwardLabel = "dim 8, \"fast\"\nsecond line";
    public const string OptimizerArgs = "weight_decay=0.01,betas=(0.9, 0.99)";
    public const string AwkwardScorer = "carol, the \"judge\"";

    public static async Task<SweepExport> ExportAsync(TemporaryFolder folder)
    {
        var store = await ResultsStore.OpenAsync(folder.Path, ManualTimeProvider.AtSampleDate());
        var awkward = Sweeps.Job(8, label: AwkwardLabel) with
        {
            SettingsJson = $$"""{"learning_rate":0.0001,"network_dim":8,"optimizer_args":"{{OptimizerArgs}}","flip_aug":true,"caption_dropout_rate":null}""",
        };
        await store.RegisterSweepAsync(Sweeps.Sweep("quoting", awkward, Sweeps.Job(16)));
        var attemptId = await store.StartAttemptAsync(new AttemptStart(awkward.JobId, "host", 1, "cpu"));
        await store.AddMetricsAsync(attemptId, [new MetricPoint(100, 9, 0.0625, 1e-4, 2)]);
        await store.FinishAttemptAsync(attemptId, AttemptOutcome.Succeeded, timings: new PhaseTimings(1.5, 2, 30.25, 4, 0.5));
        await store.AddJobScoreAsync(awkward.JobId, new ScoreEntry(AwkwardScorer, 72.5, Blind: true));
        await store.AddJobScoreAsync(awkward.JobId, new ScoreEntry("alice", 40, Blind: true));
        return await store.GetSweepExportAsync("quoting");
    }
}
