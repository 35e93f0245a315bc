using SweepRunner.Core.Results;
using SweepRunner.Store;

namespace SweepRunner.Cli.Tests.Support;

/// <summary>The small sweep <c>run</c> tests train on the bundled demo model (4 steps an epoch), and ways to watch it.</summary>
public static class RunTestSweep
{
    public const string Name = "runtest";

    public static string Write(string folder, int epochs, int saveEvery, params string[] patterns)
    {
        var dataset = Path.Combine(CliProcess.RepoRoot, "datasets", "demo-person").Replace('\\', '/');
        var path = Path.Combine(folder, "runtest.yaml");
        File.WriteAllText(path, $"""
            name: {Name}
            dataset: {dataset}
            base:
              pretrained_model_name_or_path: demo
              resolution: 64
              max_train_epochs: {epochs}
              num_repeats: 1
              train_batch_size: 4
              network_dim: 4
              network_alpha: 4
              learning_rate: 1e-3
              save_every_n_epochs: {saveEvery}
              seed: 7
            list:
            {string.Join("\n", patterns.Select(p => "  - " + p))}
            """);
        return path;
    }

    public static async Task<SweepStatus> Status(string results) => await (await ResultsStore.OpenAsync(results)).GetSweepStatusAsync(Name);

    static async Task<SweepStatus?> TryStatus(string results)
    {
        try
        {
            return await Status(results);
        }
        catch (ResultsStoreException)
        {
            return null; // not registered yet
        }
    }

    /// <summary>Waits until the sweep's one running attempt has logged <paramref name="step"/>; returns its worker's
    /// process id. Fails at once when <paramref name="runner"/> has exited, else after <see cref="CliProcess.Patience"/>.</summary>
    public static async Task<int> WaitForStepAsync(string results, long step, System.Diagnostics.Process runner, System.Text.StringBuilder? output = null)
    {
        var deadline = DateTime.UtcNow + CliProcess.Patience;
        while (DateTime.UtcNow < deadline)
        {
            if (runner.HasExited)
            {
                runner.WaitForExit(); // drains the redirected output into the handlers
                var said = "(output not kept)";
                if (output is not null) lock (output) said = output.ToString();
                throw new InvalidOperationException($"sweeprunner exited with {runner.ExitCode} before the job reached step {step}:\n{said}");
            }
            if (File.Exists(Path.Combine(results, ResultsStore.DatabaseFileName)) && await TryStatus(results) is { } status)
            {
                var job = status.Jobs.Single();
                if (job.LastStep >= step)
                    return (await (await ResultsStore.OpenAsync(results)).GetAttemptsAsync(job.JobId)).Single(a => a.Outcome is null).ProcessId;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"the job did not reach step {step}");
    }
}
