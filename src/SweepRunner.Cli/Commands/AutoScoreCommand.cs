using System.ComponentModel;
using Spectre.Console.Cli;
using SweepRunner.Cli.Hosting;
using SweepRunner.Core.Running;
using SweepRunner.Core.Scoring;
using SweepRunner.Core.Sweeps;
using SweepRunner.Diffusion.ImageEncoders;
using SweepRunner.Store;
using SweepRunner.Worker.AutoScoring;
using static TorchSharp.torch;

namespace SweepRunner.Cli.Commands;

public sealed class AutoScoreCommand(CliConsole console) : AsyncCommand<AutoScoreCommand.Settings>
{
    public sealed class Settings : ExistingResultsSettings
    {
        [CommandArgument(0, "<sweep>")]
        [Description("The sweep's name, as 'sweeprunner status' shows it.")]
        public string Sweep { get; init; } = "";

        [CommandOption("--clip <DIR>")]
        [Description("A CLIP model folder (config.json, model.safetensors, vocab.json, merges.txt): CLIP-I and CLIP-T (default: the sweep's auto_scores).")]
        public string? Clip { get; init; }

        [CommandOption("--dino <DIR>")]
        [Description("A DINOv2 model folder (config.json, model.safetensors): DINO (default: the sweep's auto_scores).")]
        public string? Dino { get; init; }

        [CommandOption("--device <DEVICE>")]
        [Description("auto (CUDA when available), cuda or cpu (default auto).")]
        public TrainingDevice Device { get; init; } = TrainingDevice.Auto;
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings)
    {
        var store = await ResultsStore.OpenAsync(settings.Results);
        var models = settings.Clip is not null || settings.Dino is not null
            ? new AutoScoreModels(settings.Clip is { } clip ? Path.GetFullPath(clip) : null, settings.Dino is { } dino ? Path.GetFullPath(dino) : null)
            : await SweepModelsAsync(store, settings.Sweep);
        if (models is null)
        {
            await console.Error.WriteLineAsync($"error: sweep '{settings.Sweep}' names no auto_scores models; give --clip DIR and/or --dino DIR.");
            return ExitCodes.Usage;
        }

        if (settings.Device == TrainingDevice.Cuda && !cuda.is_available())
        {
            await console.Error.WriteLineAsync("error: --device cuda: CUDA is not available (CPU build of TorchSharp, or no GPU/driver). Use --device cpu.");
            return ExitCodes.Failed;
        }

        var device = settings.Device == TrainingDevice.Cpu || !cuda.is_available() ? CPU : CUDA;
        using var encoders = new AutoScoreEncoders(store, device);
        AutoScorer scorer;
        try
        {
            scorer = encoders.ScorerFor(models);
        }
        catch (ImageEncoderException e)
        {
            await console.Error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.Failed;
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var summary = await scorer.ScoreSweepAsync(settings.Sweep, new LineProgress(console.Error));
        var total = summary.Scored.Values.Sum();
        await console.Error.WriteLineAsync(
            $"scored '{settings.Sweep}': {string.Join(", ", AutoMetrics.All.Select(m => $"{m.DisplayName()} {summary.Scored.GetValueOrDefault(m)}"))} new score(s), "
            + $"{summary.ReferencesEmbedded} training image(s) embedded, {clock.Elapsed.TotalSeconds:0.0} s");
        console.Out.WriteLine(total);
        return ExitCodes.Ok;
    }

    /// <summary>The auto_scores models the sweep's last run recorded in its job specs.</summary>
    static async Task<AutoScoreModels?> SweepModelsAsync(ResultsStore store, string sweep)
    {
        var export = await store.GetSweepExportAsync(sweep);
        foreach (var row in export.Rows)
        {
            try
            {
                if ((await store.GetJobSpecAsync(sweep, row.JobId)).AutoScores is { } models) return models;
            }
            catch (Core.Results.ResultsStoreException)
            {
            }
        }

        return null;
    }

    sealed class LineProgress(TextWriter writer) : IProgress<string>
    {
        public void Report(string value) => writer.WriteLine($"  {value}");
    }
}
