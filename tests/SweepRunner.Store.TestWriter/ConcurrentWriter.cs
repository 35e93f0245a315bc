using System.Diagnostics;
using System.Globalization;
using SweepRunner.Core.Results;

namespace SweepRunner.Store.TestWriter;

/// <summary>Writes attempts, metrics, scores and events as fast as it can for a while, counting every row it wrote.</summary>
internal static class ConcurrentWriter
{
    public const int MetricsPerAttempt = 10;

    public static async Task<string> RunAsync(string resultsFolder, string writerName, TimeSpan duration, string sweepName)
    {
        var store = await ResultsStore.OpenAsync(resultsFolder);
        var status = await store.GetSweepStatusAsync(sweepName);
        var jobIds = status.Jobs.Select(job => job.JobId).Distinct().ToList();
        var clock = Stopwatch.StartNew();
        long attempts = 0, metrics = 0, scores = 0, events = 0;
        for (var round = 0; clock.Elapsed < duration; round++)
        {
            var jobId = jobIds[round % jobIds.Count];
            var attemptId = await store.StartAttemptAsync(new AttemptStart(jobId, writerName, Environment.ProcessId, "cpu"));
            attempts++;

            var points = Enumerable.Range(1, MetricsPerAttempt)
                .Select(step => new MetricPoint(step, 0, 1.0 / step, 1e-4, 2.5))
                .ToList();
            await store.AddMetricsAsync(attemptId, points);
            metrics += points.Count;

            await store.HeartbeatAsync(attemptId);
            await store.FinishAttemptAsync(attemptId, AttemptOutcome.Succeeded, timings: new PhaseTimings(0.1, 0.2, 1.0, 0.3, 0.05));

            await store.AddJobScoreAsync(jobId, new ScoreEntry(writerName, round % 101, Blind: true, Note: string.Create(CultureInfo.InvariantCulture, $"round {round}")));
            scores++;

            await store.AddEventAsync(EventLevel.Info, $"{writerName} finished round {round}", sweepName, jobId);
            events++;
        }

        return string.Create(CultureInfo.InvariantCulture, $"written attempts={attempts} metrics={metrics} scores={scores} events={events}");
    }
}
