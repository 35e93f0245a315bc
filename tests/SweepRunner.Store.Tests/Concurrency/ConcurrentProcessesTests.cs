using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Dapper;
using SweepRunner.Core.Results;
using SweepRunner.Store.Tests.Support;

namespace SweepRunner.Store.Tests.Concurrency;

[Collection(nameof(SeparateProcessesCollection))]
public sealed partial class ConcurrentProcessesTests
{
    private const int WriteSeconds = 4;

    [Fact]
    public async Task Two_processes_and_this_one_write_at_once_without_errors_or_lost_rows()
    {
        using var folder = new TemporaryFolder();
        var store = await ResultsStore.OpenAsync(folder.Path);
        await store.RegisterSweepAsync(Sweeps.DimSweep("shared", 8, 16, 32));

        var writers = new[] { "writer-a", "writer-b" }
            .Select(name => new Writer(name, WriterProcess.Start("concurrent", folder.Path, name, WriteSeconds.ToString(CultureInfo.InvariantCulture), "shared")))
            .ToList();
        try
        {
            // Meanwhile this process scores and reads, as the scoring page does while the runner trains.
            var pageScores = 0;
            var clock = Stopwatch.StartNew();
            while (writers.Any(writer => !writer.Process.HasExited) && clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                await store.AddJobScoreAsync("job-dim16", new ScoreEntry("page", pageScores % 100, Blind: true));
                pageScores++;
                Assert.Equal(3, (await store.GetSweepStatusAsync("shared")).Jobs.Count);
            }

            foreach (var writer in writers)
            {
                await writer.Exited.WaitAsync(TimeSpan.FromSeconds(60));
            }

            AssertEverythingWritten(folder, writers, pageScores);
        }
        finally
        {
            foreach (var writer in writers.Where(writer => !writer.Process.HasExited))
            {
                writer.Process.Kill();
            }
        }
    }

    private static void AssertEverythingWritten(TemporaryFolder folder, IReadOnlyList<Writer> writers, int pageScores)
    {
        using var database = RawDatabase.Open(folder.DatabasePath);
        Assert.Equal("ok", database.ExecuteScalar<string>("PRAGMA integrity_check;"));
        foreach (var writer in writers)
        {
            var name = writer.Name;
            Assert.True(writer.Process.ExitCode == 0, $"{name} exited with {writer.Process.ExitCode}: {writer.Errors}");
            Assert.Equal("", writer.Errors);
            var written = WrittenLine().Match(writer.Output);
            Assert.True(written.Success, $"{name} printed no tally: {writer.Output}");
            var attempts = long.Parse(written.Groups["attempts"].Value, CultureInfo.InvariantCulture);
            Assert.True(attempts >= 10, $"{name} wrote only {attempts} attempts in {WriteSeconds} s");

            Assert.Equal(attempts, database.ExecuteScalar<long>("SELECT count(*) FROM attempts WHERE host = @name AND outcome = 'succeeded';", new { name }));
            Assert.Equal(attempts, database.ExecuteScalar<long>("SELECT count(*) FROM attempts a JOIN timings t ON t.attempt_id = a.id WHERE a.host = @name;", new { name }));
            Assert.Equal(
                long.Parse(written.Groups["metrics"].Value, CultureInfo.InvariantCulture),
                database.ExecuteScalar<long>("SELECT count(*) FROM metrics m JOIN attempts a ON a.id = m.attempt_id WHERE a.host = @name;", new { name }));
            Assert.Equal(
                long.Parse(written.Groups["scores"].Value, CultureInfo.InvariantCulture),
                database.ExecuteScalar<long>("SELECT count(*) FROM scores WHERE scorer = @name;", new { name }));
            Assert.Equal(
                long.Parse(written.Groups["events"].Value, CultureInfo.InvariantCulture),
                database.ExecuteScalar<long>("SELECT count(*) FROM events WHERE message LIKE @prefix;", new { prefix = name + " finished round %" }));
        }

        Assert.Equal(pageScores, database.ExecuteScalar<long>("SELECT count(*) FROM scores WHERE scorer = 'page';"));

        // The two writers really overlapped: each started attempts while the other was still writing.
        var overlap = database.ExecuteScalar<long>(
            """
            SELECT (SELECT max(min_start) FROM (SELECT min(started_at) AS min_start FROM attempts GROUP BY host))
                 < (SELECT min(max_start) FROM (SELECT max(started_at) AS max_start FROM attempts GROUP BY host));
            """);
        Assert.Equal(1, overlap);
    }

    /// <summary>A writer process whose output is collected as it comes, off the test's own threads.</summary>
    private sealed class Writer
    {
        private readonly StringBuilder _output = new();
        private readonly StringBuilder _errors = new();

        public Writer(string name, Process process)
        {
            Name = name;
            Process = process;
            process.OutputDataReceived += (_, line) => Append(_output, line.Data);
            process.ErrorDataReceived += (_, line) => Append(_errors, line.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            Exited = process.WaitForExitAsync();
        }

        public string Name { get; }

        public Process Process { get; }

        public Task Exited { get; }

        public string Output => Read(_output);

        public string Errors => Read(_errors);

        private static void Append(StringBuilder text, string? line)
        {
            if (line is not null)
            {
                lock (text)
                {
                    text.AppendLine(line);
                }
            }
        }

        private static string Read(StringBuilder text)
        {
            lock (text)
            {
                return text.ToString();
            }
        }
    }

    [GeneratedRegex(@"written attempts=(?<attempts>\d+) metrics=(?<metrics>\d+) scores=(?<scores>\d+) events=(?<events>\d+)")]
    private static partial Regex WrittenLine();
}
