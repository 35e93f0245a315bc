using System.ComponentModel;
using Spectre.Console.Cli;
using SweepRunner.Cli.Hosting;
using SweepRunner.Cli.Output;
using SweepRunner.DemoBuilder;

namespace SweepRunner.Cli.Commands;

public sealed class DemoModelCommand(CliConsole console) : Command<DemoModelCommand.Settings>
{
    static readonly DemoModelOptions Defaults = new();

    public sealed class Settings : CommandSettings
    {
        [CommandOption("--out <FOLDER>")]
        [Description("Folder for model.safetensors and tokenizer/ (default models/demo).")]
        public string Out { get; init; } = "models/demo";

        [CommandOption("--seed <SEED>")]
        [Description("Seed of the weights, the generated images and the training order (default 1).")]
        public int Seed { get; init; } = Defaults.Seed;

        [CommandOption("--images <N>")]
        [Description("Number of generated shape images to train on (default 6000).")]
        public int Images { get; init; } = Defaults.Images;

        [CommandOption("--vae-steps <N>")]
        [Description("VAE training steps (default 800).")]
        public int VaeSteps { get; init; } = Defaults.VaeSteps;

        [CommandOption("--vae-batch <N>")]
        [Description("Images per VAE training step (default 16).")]
        public int VaeBatch { get; init; } = Defaults.VaeBatch;

        [CommandOption("--steps <N>")]
        [Description("UNet + text encoder steps (default 2000).")]
        public int Steps { get; init; } = Defaults.Steps;

        [CommandOption("--batch <N>")]
        [Description("Images per UNet + text encoder step (default 32).")]
        public int Batch { get; init; } = Defaults.Batch;

        [CommandOption("--threads <N>")]
        [Description("Torch CPU threads; the file is reproducible for the same count (default 2).")]
        public int Threads { get; init; } = Defaults.Threads;

        [CommandOption("--report-every <N>")]
        [Description("Print the loss every N steps (default 100).")]
        public int ReportEvery { get; init; } = 100;

        public DemoModelOptions ToOptions() => new()
        {
            Seed = Seed, Images = Images, VaeSteps = VaeSteps, VaeBatch = VaeBatch, Steps = Steps, Batch = Batch, Threads = Threads,
        };

        public override Spectre.Console.ValidationResult Validate()
        {
            try
            {
                ToOptions().Validate();
            }
            catch (ArgumentException e)
            {
                return Spectre.Console.ValidationResult.Error(e.Message);
            }

            return ReportEvery < 1
                ? Spectre.Console.ValidationResult.Error("--report-every must be at least 1.")
                : Spectre.Console.ValidationResult.Success();
        }
    }

    public override int Execute(CommandContext context, Settings settings)
    {
        var options = settings.ToOptions();
        console.Out.WriteLine($"training the demo model: {options.ToCommandLine()}");
        DemoModelReport report;
        try
        {
            report = DemoModelTrainer.Train(settings.Out, options, p => console.Out.WriteLine(DemoModelProgressText.Line(p)), reportEvery: settings.ReportEvery);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            console.Error.WriteLine($"error: cannot write the demo model into '{settings.Out}': {e.Message} Choose a writable folder with --out.");
            return ExitCodes.Failed;
        }

        foreach (var line in DemoModelProgressText.Summary(report)) console.Out.WriteLine(line);
        return ExitCodes.Ok;
    }
}
