using System.Globalization;
using System.Text;
using Dapper;
using SweepRunner.Store.Tests.Support;

namespace SweepRunner.Store.Tests.Concurrency;

[Collection(nameof(SeparateProcessesCollection))]
public sealed class KilledWriterTests
{
    private const int JobsPerSweep = 60;
    private const int MetricsPerBatch = 500;
    private const int SigkillExitCode = 128 + 9;

    [Fact]
    public async Task A_writer_killed_with_sigkill_mid_write_leaves_a_whole_consistent_database()
    {
        using var folder = new TemporaryFolder();
        await ResultsStore.OpenAsync(folder.Path);
        var committedByWriter = new Dictionary<string, int>();

        for (var round = 1; round <= 3; round++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"crash{round}");
            using var writer = WriterProcess.Start(
                "crash", folder.Path, name,
                JobsPerSweep.ToString(CultureInfo.InvariantCulture), MetricsPerBatch.ToString(CultureInfo.InvariantCulture));
            var committed = 0;
            var threeCommitted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var errors = new StringBuilder();
            writer.OutputDataReceived += (_, line) =>
            {
                if (line.Data is { } text && text.StartsWith("committed ", StringComparison.Ordinal))
                {
                    var round = int.Parse(text["committed ".Length..], CultureInfo.InvariantCulture);
                    Volatile.Write(ref committed, round);
                    if (round >= 3)
                    {
                        threeCommitted.TrySetResult();
                    }
                }
            };
            writer.ErrorDataReceived += (_, line) =>
            {
                lock (errors)
                {
                    errors.AppendLine(line.Data);
                }
            };
            writer.BeginOutputReadLine();
            writer.BeginErrorReadLine();

            try
            {
                var started = await Task.WhenAny(threeCommitted.Task, writer.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
                Assert.True(started == threeCommitted.Task, $"{name} did not commit three rounds: {errors}");
                await Task.Delay(Random.Shared.Next(0, 40));
                writer.Kill();
                await writer.WaitForExitAsync();
                Assert.Equal(SigkillExitCode, writer.ExitCode);
            }
            finally
            {
                if (!writer.HasExited)
                {
                    writer.Kill();
                }
            }

            committedByWriter[name] = Volatile.Read(ref committed);
        }

        using (var database = RawDatabase.Open(folder.DatabasePath))
        {
            Assert.Equal("ok", database.ExecuteScalar<string>("PRAGMA integrity_check;"));
            Assert.Empty(database.Query("PRAGMA foreign_key_check;"));

            // Every sweep registration is whole: the sweep, all its jobs and all its links.
            Assert.Empty(database.Query<string>(
                "SELECT s.name FROM sweeps s WHERE (SELECT count(*) FROM sweep_jobs sj WHERE sj.sweep_id = s.id) <> @JobsPerSweep;",
                new { JobsPerSweep }));
            Assert.Equal(
                database.ExecuteScalar<long>("SELECT count(*) FROM sweeps;") * JobsPerSweep,
                database.ExecuteScalar<long>("SELECT count(*) FROM jobs;"));

            // Every metrics batch is whole, and every ended attempt has its timings and gave its job its outcome.
            Assert.Empty(database.Query<long>(
                "SELECT a.id FROM attempts a WHERE (SELECT count(*) FROM metrics m WHERE m.attempt_id = a.id) NOT IN (0, @MetricsPerBatch);",
                new { MetricsPerBatch }));
            Assert.Empty(database.Query<long>(
                """
                SELECT a.id FROM attempts a JOIN jobs j ON j.id = a.job_id
                WHERE (a.ended_at IS NOT NULL) <> (EXISTS (SELECT 1 FROM timings t WHERE t.attempt_id = a.id))
                   OR j.state <> CASE WHEN a.ended_at IS NULL THEN 'running' ELSE a.outcome END;
                """));

            foreach (var (name, committed) in committedByWriter)
            {
                Assert.True(
                    database.ExecuteScalar<long>("SELECT count(*) FROM attempts WHERE host = @name AND ended_at IS NOT NULL;", new { name }) >= committed,
                    $"{name} reported {committed} committed rounds that the database does not hold");
            }
        }

        var store = await ResultsStore.OpenAsync(folder.Path);
        var sweeps = await store.ListSweepsAsync();
        Assert.True(sweeps.Count >= committedByWriter.Values.Sum(), $"the reopened store lists {sweeps.Count} sweeps");
        Assert.All(sweeps, sweep => Assert.Equal(JobsPerSweep, sweep.JobCount));
    }
}
