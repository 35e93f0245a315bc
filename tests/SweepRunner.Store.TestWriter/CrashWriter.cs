using System.Globalization;
using SweepRunner.Core.Results;

namespace SweepRunner.Store.TestWriter;

/// <summary>
/// Writes multi-row transactions in a loop until the process is killed: a sweep registration with many jobs,
/// then an attempt's metrics as one batch, then its end with timings.
/// </summary>
internal static class CrashWriter
{
    public static async Task RunUntilKilledAsync(string resultsFolder, string writerName, int jobsPerSweep, int metricsPerBatch)
    {
        var store = await ResultsStore.OpenAsync(resultsFolder);
        for (var round = 1; ; round++)
        {
            var sweepName = string.Create(CultureInfo.InvariantCulture, $"{writerName}-{round}");
            var jobs = Enumerable.Range(0, jobsPerSweep)
                .Select(index => new JobRegistration(
                    string.Create(CultureInfo.InvariantCulture, $"{sweepName}-job-{index}"),
                    string.Create(CultureInfo.InvariantCulture, $"job {index}"),
                    string.Create(CultureInfo.InvariantCulture, $$"""{"network_dim":{{index + 1}},"learning_rate":0.0001}"""),
                    string.Create(CultureInfo.InvariantCulture, $$"""{"network_dim":{{index + 1}}}"""),
                    null,
                    100,
                    metricsPerBatch,
                    60))
                .ToList();
            await store.RegisterSweepAsync(new SweepRegistration(sweepName, "crash.yaml", "name: crash\n", jobs));

            var attemptId = await store.StartAttemptAsync(new AttemptStart(jobs[0].JobId, writerName, Environment.ProcessId, "cpu"));
            var points = Enumerable.Range(1, metricsPerBatch)
                .Select(step => new MetricPoint(step, step / 100, 0.5, 1e-4, 3.0))
                .ToList();
            await store.AddMetricsAsync(attemptId, points);
            await store.FinishAttemptAsync(attemptId, AttemptOutcome.Succeeded, timings: new PhaseTimings(1, 2, 3, 4, 5));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"committed {round}"));
        }
    }
}
