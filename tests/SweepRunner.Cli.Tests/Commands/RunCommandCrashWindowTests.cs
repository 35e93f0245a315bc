using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using SweepRunner.Cli.Tests.Support;
using SweepRunner.Core.Planning;
using SweepRunner.Core.Results;
using SweepRunner.Core.Running;
using SweepRunner.Core.Sweeps;
using SweepRunner.Store;

namespace SweepRunner.Cli.Tests.Commands;

/// <summary>
/// <c>sweeprunner run</c> killed, or starved, at the moments a fault-injection campaign found: after the final LoRA is in
/// place, the supervisor alone, a job another process trains, a disk that fills up mid-job.
/// </summary>
public class RunCommandCrashWindowTests : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("sweeprunner-crash-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    static Process Start(string sweep, string results, System.Text.StringBuilder output)
    {
        var runner = Process.Start(CliProcess.StartInfo(CliProcess.RepoRoot, null, "run", sweep, "--results", results))!;
        runner.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        runner.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        runner.BeginOutputReadLine();
        runner.BeginErrorReadLine();
        return runner;
    }

    [Fact]
    public async Task AKillAfterTheFinalLoraIsInPlaceIsRecordedAsSucceededByTheNextRunWithoutTrainingAgain()
    {
        var results = Path.Combine(_root, "results");
        var sweep = RunTestSweep.Write(_root, 2, 1, "{ label: a }");
        var killed = CliProcess.Run(CliProcess.RepoRoot, new Dictionary<string, string> { ["SWEEPRUNNER_TEST_CRASH"] = "a:final-lora" }, "run", sweep, "--results", results);
        Assert.True(killed.ExitCode == 1, killed.Out + killed.Error);
        var lora = Path.Combine(results, RunTestSweep.Name, "a", "a.safetensors");
        var written = SHA256.HashData(File.ReadAllBytes(lora));

        var rerun = CliProcess.Run(CliProcess.RepoRoot, "run", sweep, "--results", results);

        Assert.True(rerun.ExitCode == 0, rerun.Out + rerun.Error);
        Assert.Contains("1 succeeded, 0 failed", rerun.Out);
        var job = (await RunTestSweep.Status(results)).Jobs.Single();
        Assert.Equal(JobState.Succeeded, job.State);
        var store = await ResultsStore.OpenAsync(results);
        var attempts = await store.GetAttemptsAsync(job.JobId);
        Assert.Equal([AttemptOutcome.Failed, AttemptOutcome.Succeeded], attempts.Select(a => a.Outcome!.Value));
        Assert.Equal(8, attempts[1].ResumedFromStep);
        Assert.Empty(await store.GetMetricsAsync(attempts[1].AttemptId));
        Assert.Equal(written, SHA256.HashData(File.ReadAllBytes(lora)));
        var final = (await store.GetCheckpointsAsync(job.JobId)).Single(c => c.Epoch == 2);
        Assert.Equal((attempts[1].AttemptId, Convert.ToHexStringLower(written)), (final.AttemptId, final.File.Sha256));
        Assert.False(File.Exists(Path.Combine(results, RunTestSweep.Name, "a", "a-state.safetensors")));
        Assert.Contains(await store.GetRecentEventsAsync(50, RunTestSweep.Name), e => e.Message.Contains("recorded as succeeded without training again"));
    }

    [Fact]
    public async Task KillingOnlyTheSupervisorStopsItsWorkerWhichSavesItsStateForTheNextRun()
    {
        var results = Path.Combine(_root, "results");
        var sweep = RunTestSweep.Write(_root, 40, 5, "{ label: a }");
        var output = new System.Text.StringBuilder();
        int workerPid;
        using (var runner = Start(sweep, results, output))
        {
            workerPid = await RunTestSweep.WaitForStepAsync(results, 30, runner, output);
            runner.Kill(entireProcessTree: false);
            await runner.WaitForExitAsync();
        }
        using (var worker = Process.GetProcessById(workerPid))
        {
            using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await worker.WaitForExitAsync(patience.Token);
        }

        var job = (await RunTestSweep.Status(results)).Jobs.Single();
        var attempt = Assert.Single(await (await ResultsStore.OpenAsync(results)).GetAttemptsAsync(job.JobId));
        Assert.Equal(AttemptOutcome.Interrupted, attempt.Outcome);
        Assert.StartsWith("stopped at step", attempt.ErrorText);
        Assert.True(File.Exists(Path.Combine(results, RunTestSweep.Name, "a", "a-state.safetensors")));
        Assert.False(JobLock.IsHeld(results, job.JobId));
    }

    [Fact]
    public async Task AJobAnotherProcessHoldsTheLockOfIsNotTrainedByThisRun()
    {
        var results = Path.Combine(_root, "results");
        var sweep = RunTestSweep.Write(_root, 1, 1, "{ label: a }");
        var jobId = new Planner().Plan(SweepFileParser.Load(sweep)).UniqueJobs.Single().Id;
        using var trainingElsewhere = JobLock.TryAcquire(Path.GetFullPath(results), jobId)!;

        var run = CliProcess.Run(CliProcess.RepoRoot, "run", sweep, "--results", results);

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Contains("note: a: being trained by another running process; skipped", run.Out);
        Assert.Contains("1 left to the other process training them (a)", run.Out);
        Assert.Empty(await (await ResultsStore.OpenAsync(results)).GetAttemptsAsync(jobId));
        Assert.False(File.Exists(Path.Combine(results, RunTestSweep.Name, "a", "a.safetensors")));
    }

    [Fact]
    public async Task ADiskThatFillsUpMidJobStopsTheRunWithAMessageAndTheNextRunResumes()
    {
        using var disk = new SmallDisk(64);
        var results = Path.Combine(disk.Path, "results");
        var sweep = RunTestSweep.Write(_root, 15, 5, "{ label: a }");
        var output = new System.Text.StringBuilder();
        using (var runner = Start(sweep, results, output))
        {
            await RunTestSweep.WaitForStepAsync(results, 24, runner, output);
            disk.Fill();
            if (!runner.WaitForExit(CliProcess.Patience)) runner.Kill(entireProcessTree: true);
            runner.WaitForExit();
            Assert.True(runner.ExitCode == 1, $"exit code {runner.ExitCode}\n{output}");
        }
        var text = output.ToString();
        Assert.Contains("the disk is full", text);
        Assert.Contains("run the same command again to resume", text);
        Assert.DoesNotContain("   at ", text);
        Assert.DoesNotContain("Unhandled exception", text);

        disk.Free();
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(results, ResultsStore.DatabaseFileName)};Pooling=False"))
        {
            connection.Open();
            using var check = connection.CreateCommand();
            check.CommandText = "PRAGMA integrity_check";
            Assert.Equal("ok", check.ExecuteScalar());
        }
        var rerun = CliProcess.Run(CliProcess.RepoRoot, "run", sweep, "--results", results);
        Assert.True(rerun.ExitCode == 0, rerun.Out + rerun.Error);
        var job = (await RunTestSweep.Status(results)).Jobs.Single();
        var attempts = await (await ResultsStore.OpenAsync(results)).GetAttemptsAsync(job.JobId);
        Assert.Equal([AttemptOutcome.Interrupted, AttemptOutcome.Succeeded], attempts.Select(a => a.Outcome!.Value));
        Assert.True(attempts[1].ResumedFromStep >= 20, $"resumed from step {attempts[1].ResumedFromStep}");
    }
}
