using System.Diagnostics;
using SweepRunner.Cli.Tests.Support;
using SweepRunner.Store;
using SweepRunner.Core.Files;
using SweepRunner.Core.Results;
using SweepRunner.Diffusion.Checkpoints;

namespace SweepRunner.Cli.Tests.Commands;

/// <summary><c>sweeprunner run</c> for real: worker processes training LoRAs on the bundled demo model.</summary>
public class RunCommandTests : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("sweeprunner-run-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    string Sweep(int epochs, int saveEvery, params string[] patterns) => RunTestSweep.Write(_root, epochs, saveEvery, patterns);

    static Task<SweepStatus> Status(string results) => RunTestSweep.Status(results);

    [Fact]
    public async Task AJobThatCrashesTheWorkerFailsAloneAndTheNextJobRuns()
    {
        var results = Path.Combine(_root, "results");
        var run = CliProcess.Run(CliProcess.RepoRoot, new Dictionary<string, string> { ["SWEEPRUNNER_TEST_CRASH"] = "a:2" },
            "run", Sweep(2, 1, "{ label: a }", "{ label: b, network_alpha: 2 }"), "--results", results);
        Assert.True(run.ExitCode == 1, run.Out + run.Error);
        // The console says which job the dead worker took with it, and goes on counting.
        Assert.Contains("  a: failed: worker process died while training 'a': exit code 134 (killed by signal 6, SIGABRT)", run.Out);
        Assert.Contains("[2/2] b", run.Out);
        Assert.Matches(@"epoch 2 step 8/8 loss \d+\.\d{4} avr_loss \d+\.\d{4} lr", run.Out);
        var status = await Status(results);
        Assert.Equal(JobState.Failed, status.Jobs.Single(j => j.Label == "a").State);
        Assert.Equal(JobState.Succeeded, status.Jobs.Single(j => j.Label == "b").State);
        var store = await ResultsStore.OpenAsync(results);
        var attempt = Assert.Single(await store.GetAttemptsAsync(status.Jobs.Single(j => j.Label == "a").JobId));
        Assert.Equal(AttemptOutcome.Failed, attempt.Outcome);
        Assert.Contains("worker process died while training 'a'", attempt.ErrorText);
        Assert.Contains("signal 6, SIGABRT", attempt.ErrorText);
        Assert.True(File.Exists(Path.Combine(results, "runtest", "b", "b.safetensors")));
        Assert.Contains("1 succeeded, 1 failed", run.Out);
    }

    [Fact]
    public async Task AWorkerThatCannotStartSaysWhyOnTheTerminalAndInStatus()
    {
        // Cheap: the worker stops at choosing the device, before any model is loaded (a CUDA build would train; skip there).
        var results = Path.Combine(_root, "results");
        var run = CliProcess.Run(CliProcess.RepoRoot, "run", Sweep(1, 1, "{ label: a }"), "--results", results, "--device", "cuda");
        if (run.Out.Contains("[1/1] a", StringComparison.Ordinal)) return;
        Assert.True(run.ExitCode == 1, run.Out + run.Error);
        // Off a terminal the console wraps long lines at 80 columns (a separate issue): read them joined.
        var output = run.Out.Replace("\n", "", StringComparison.Ordinal);
        Assert.Contains("  a: failed: worker process failed before training: --device cuda: CUDA is not available", output);
        Assert.Contains("or use --device cpu. (exit code 1)", output);
        var status = CliProcess.Run(CliProcess.RepoRoot, "status", "runtest", "--results", results);
        Assert.Contains("worker process failed before training: --device cuda: CUDA is not available", status.Out);
        Assert.Equal("worker process failed before training: --device cuda: CUDA is not available (CPU build of TorchSharp, or no GPU/driver). Build with -p:TorchBackend=cuda or use --device cpu. (exit code 1)",
            (await Status(results)).Jobs.Single().Reason);
    }

    [Fact]
    public async Task ADivergedJobIsAResultExitCode0WithTheStepsBeforeItRecorded()
    {
        var results = Path.Combine(_root, "results");
        var run = CliProcess.Run(CliProcess.RepoRoot, "run", Sweep(4, 4, "{ label: boom, optimizer_type: Lion, learning_rate: 100 }"), "--results", results);

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Contains("0 failed, 1 diverged", run.Out);
        var job = (await Status(results)).Jobs.Single();
        Assert.Equal(JobState.Diverged, job.State);
        var attempt = Assert.Single(await (await ResultsStore.OpenAsync(results)).GetAttemptsAsync(job.JobId));
        var diverged = long.Parse(System.Text.RegularExpressions.Regex.Match(attempt.ErrorText!, @"diverged at step (\d+)").Groups[1].Value);
        Assert.True(diverged > 1, attempt.ErrorText);
        Assert.Equal(diverged - 1, job.LastStep);
        Assert.Equal(diverged - 1, (await (await ResultsStore.OpenAsync(results)).GetMetricsAsync(attempt.AttemptId)).Count);

        // The status command the run prints, run by a shell exactly as printed, shows the step it diverged at.
        var next = System.Text.RegularExpressions.Regex.Match(run.Out, "^next: (.+)$", System.Text.RegularExpressions.RegexOptions.Multiline).Groups[1].Value.Trim();
        Assert.Contains(" status runtest --results ", next);
        var shell = new ProcessStartInfo("bash", ["-c", next]) { WorkingDirectory = CliProcess.RepoRoot, RedirectStandardOutput = true, RedirectStandardError = true };
        shell.Environment["NO_COLOR"] = "1";
        using (var status = Process.Start(shell)!)
        {
            var output = status.StandardOutput.ReadToEndAsync();
            var error = status.StandardError.ReadToEndAsync();
            await status.WaitForExitAsync(new CancellationTokenSource(CliProcess.Patience).Token);
            var (printed, complaints) = (await output, await error);
            Assert.True(status.ExitCode == 0, next + "\n" + printed + complaints);
            Assert.Contains($"diverged at step {diverged}", printed);
        }

        var json = CliProcess.Run(CliProcess.RepoRoot, "status", "runtest", "--results", results, "--json");
        Assert.Contains($"\"diverged_at_step\": {diverged}", json.Out);
        var export = CliProcess.Run(CliProcess.RepoRoot, "export", "runtest", "--format", "json", "--results", results);
        using var exported = System.Text.Json.JsonDocument.Parse(export.Out);
        Assert.Equal(diverged - 1, exported.RootElement.GetProperty("jobs")[0].GetProperty("final_step").GetInt64());
    }

    [Fact]
    public async Task JobsSharingABaseModelLoadItOnceAndASecondRunSkipsSucceededJobs()
    {
        var results = Path.Combine(_root, "results");
        var sweep = Sweep(2, 1, "{ label: a }", "{ label: b, network_alpha: 2 }", "{ label: c, network_alpha: 1 }");
        var first = CliProcess.Run(CliProcess.RepoRoot, "run", sweep, "--results", results);
        Assert.True(first.ExitCode == 0, first.Out + first.Error);
        Assert.Contains("3 succeeded", first.Out);
        var store = await ResultsStore.OpenAsync(results);
        var loads = (await store.GetRecentEventsAsync(100, "runtest")).Where(e => e.Message.StartsWith("loaded base model demo")).ToList();
        Assert.Single(loads);

        var checkpoints = await store.GetCheckpointsAsync((await Status(results)).Jobs.Single(j => j.Label == "a").JobId);
        Assert.Equal([1L, 2L], checkpoints.Select(c => c.Epoch).Order());
        Assert.All(checkpoints, c => Assert.True(File.Exists(Path.Combine(results, c.File.RelativePath)), c.File.RelativePath));

        var second = CliProcess.Run(CliProcess.RepoRoot, "run", sweep, "--results", results);
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("0 job(s) to train, 3 already succeeded", second.Out);
    }

    [Fact]
    public async Task ASweepKilledMidJobResumesFromItsSavedStateAndEndsWithTheSameTensorsAndNonTimeMetadata()
    {
        const string pattern = "{ label: a }";
        var killed = Path.Combine(_root, "killed");
        var sweep = Sweep(40, 5, pattern);
        var output = new System.Text.StringBuilder();
        using (var runner = Process.Start(CliProcess.StartInfo(CliProcess.RepoRoot, null, "run", sweep, "--results", killed))!)
        {
            runner.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
            runner.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
            runner.BeginOutputReadLine();
            runner.BeginErrorReadLine();
            var workerPid = await RunTestSweep.WaitForStepAsync(killed, 30, runner, output);
            // A power cut: the supervisor and its worker die at once, mid-job, without saving anything.
            using var worker = Process.GetProcessById(workerPid);
            worker.Kill();
            runner.Kill();
            await runner.WaitForExitAsync();
            await worker.WaitForExitAsync();
        }
        var before = (await Status(killed)).Jobs.Single();
        Assert.InRange(before.LastStep, 30, 159);

        var resumed = CliProcess.Run(CliProcess.RepoRoot, "run", sweep, "--results", killed);
        Assert.True(resumed.ExitCode == 0, resumed.Out + resumed.Error);
        var store = await ResultsStore.OpenAsync(killed);
        var attempts = await store.GetAttemptsAsync(before.JobId);
        Assert.Equal(2, attempts.Count);
        Assert.Equal(AttemptOutcome.Interrupted, attempts[0].Outcome);
        Assert.Equal(AttemptOutcome.Succeeded, attempts[1].Outcome);
        Assert.True(attempts[1].ResumedFromStep >= 20, $"resumed from step {attempts[1].ResumedFromStep}");
        Assert.Equal(0, attempts[1].ResumedFromStep % 20);

        var clean = Path.Combine(_root, "clean");
        Assert.Equal(0, CliProcess.Run(CliProcess.RepoRoot, "run", sweep, "--results", clean).ExitCode);
        // Every checkpoint of the resumed job holds the tensors of the uninterrupted run's: equal stored data hashes,
        // each the data hash of the file on disk. The whole files differ: the clean run started later.
        var resumedCheckpoints = await store.GetCheckpointsAsync(before.JobId);
        var cleanCheckpoints = await (await ResultsStore.OpenAsync(clean)).GetCheckpointsAsync(before.JobId);
        Assert.Equal(cleanCheckpoints.Select(c => (c.Epoch, c.File.RelativePath, c.File.DataSha256)),
            resumedCheckpoints.Select(c => (c.Epoch, c.File.RelativePath, c.File.DataSha256)));
        Assert.Equal(40L, resumedCheckpoints[^1].Epoch);
        foreach (var checkpoint in resumedCheckpoints)
            Assert.Equal(SafetensorsDataHash.OfFile(Path.Combine(killed, checkpoint.File.RelativePath)), checkpoint.File.DataSha256);
        var resumedFile = Path.Combine(killed, "runtest", "a", "a.safetensors");
        var cleanFile = Path.Combine(clean, "runtest", "a", "a.safetensors");
        using (var final = SafetensorsFile.Open(resumedFile))
            Assert.Equal(resumedCheckpoints[^1].File.DataSha256, final.Metadata["sshs_model_hash"]);
        var differing = LoraFileComparison.AssertSameExceptTimes(cleanFile, resumedFile);
        Assert.Contains("ss_training_started_at", differing);
        Assert.NotEqual(cleanCheckpoints[^1].File.Sha256, resumedCheckpoints[^1].File.Sha256);
        Assert.False(File.Exists(Path.Combine(killed, "runtest", "a", "a-state.safetensors")));
    }

    [Fact]
    public async Task EditingTheSweepAndPromptFilesDuringARunChangesNothingInThatRun()
    {
        var results = Path.Combine(_root, "results");
        var prompts = Path.Combine(_root, "prompts.txt");
        File.WriteAllText(prompts, "a photo of sks person --w 64 --h 64 --s 2 --d 1\n");
        // Two base models (the demo model by name and by its file): two workers, the second started after the edit.
        var demoFile = Path.Combine(CliProcess.RepoRoot, "models", "demo", "model.safetensors").Replace('\\', '/');
        var sweep = Sweep(1, 1, "{ label: a, sample_every_n_epochs: 1, sample_prompts: prompts.txt }",
            $"{{ label: b, sample_every_n_epochs: 1, sample_prompts: prompts.txt, pretrained_model_name_or_path: '{demoFile}' }}");
        var output = new System.Text.StringBuilder();
        var edited = new TaskCompletionSource();
        using (var runner = Process.Start(CliProcess.StartInfo(CliProcess.RepoRoot, null, "run", sweep, "--results", results))!)
        {
            runner.OutputDataReceived += (_, e) =>
            {
                lock (output) output.AppendLine(e.Data);
                if (e.Data?.StartsWith("[1/2] a", StringComparison.Ordinal) == true)
                {
                    File.WriteAllText(sweep, "name: runtest\nthis is: not: valid yaml\n");
                    File.Delete(prompts);
                    edited.TrySetResult();
                }
            };
            runner.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
            runner.BeginOutputReadLine();
            runner.BeginErrorReadLine();
            if (!runner.WaitForExit(CliProcess.Patience)) runner.Kill(entireProcessTree: true);
            runner.WaitForExit();
            Assert.True(edited.Task.IsCompleted, "the first job never started:\n" + output);
            Assert.True(runner.ExitCode == 0, output.ToString());
        }
        Assert.Contains("2 succeeded, 0 failed", output.ToString());
        var status = await Status(results);
        Assert.All(status.Jobs, j => Assert.Equal(JobState.Succeeded, j.State));
        var store = await ResultsStore.OpenAsync(results);
        foreach (var job in status.Jobs)
            Assert.Equal("a photo of sks person", Assert.Single(await store.GetPreviewsAsync(job.JobId)).Image.Prompt);
        Assert.Equal(2, (await store.GetRecentEventsAsync(100, "runtest")).Count(e => e.Message.StartsWith("loaded base model", StringComparison.Ordinal)));

        // The next run reads the edited file, and says what is wrong with it.
        var next = CliProcess.Run(CliProcess.RepoRoot, "run", sweep, "--results", results);
        Assert.Equal(2, next.ExitCode);
        Assert.Contains("runtest.yaml:2:", next.Error);
        Assert.Contains("not valid YAML", next.Error);
    }
}
