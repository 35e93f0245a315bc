using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;
using SweepRunner.Cli.Hosting;
using SweepRunner.Cli.Output;
using SweepRunner.Core.Previews;
using SweepRunner.Diffusion.Checkpoints;
using SweepRunner.Diffusion.Lora;
using SweepRunner.Diffusion.Model;
using SweepRunner.Diffusion.Modules;
using SweepRunner.Diffusion.Pipeline;
using SweepRunner.Diffusion.Previews;
using SweepRunner.Diffusion.Sampling;
using SweepRunner.Diffusion.Tokenizer;

namespace SweepRunner.Cli.Commands;

public sealed class SampleCommand(CliConsole console) : Command<SampleCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--model <MODEL>")]
        [Description("A .safetensors checkpoint, a diffusers model folder, or 'demo' (default demo).")]
        public string Model { get; init; } = DemoModel.Name;

        [CommandOption("--lora <FILE>")]
        [Description("A kohya LoRA .safetensors file to apply.")]
        public string? Lora { get; init; }

        [CommandOption("--lora-weight <W>")]
        [Description("Multiplier of the LoRA, as <lora:name:W> in AUTOMATIC1111 (default 1).")]
        public double LoraWeight { get; init; } = 1.0;

        [CommandOption("--prompt <TEXT>")]
        [Description("The prompt (required).")]
        public string? Prompt { get; init; }

        [CommandOption("--negative <TEXT>")]
        [Description("The negative prompt (default none).")]
        public string Negative { get; init; } = "";

        [CommandOption("--steps <N>")]
        [Description("Sampling steps (default 30).")]
        public int Steps { get; init; } = 30;

        [CommandOption("--cfg <SCALE>")]
        [Description("Classifier-free guidance scale (default 7.5).")]
        public double Cfg { get; init; } = 7.5;

        [CommandOption("--sampler <NAME>")]
        [Description("ddim, euler or euler_a (default ddim).")]
        public string Sampler { get; init; } = "ddim";

        [CommandOption("--seed <SEED>")]
        [Description("Seed of the initial noise (default 42).")]
        public long Seed { get; init; } = 42;

        [CommandOption("--width <PIXELS>")]
        [Description("Image width, a multiple of 64 from 64 to 2048 (default 512).")]
        public int Width { get; init; } = 512;

        [CommandOption("--height <PIXELS>")]
        [Description("Image height, a multiple of 64 from 64 to 2048 (default 512).")]
        public int Height { get; init; } = 512;

        [CommandOption("--clip-skip <N>")]
        [Description("Use the text encoder's N-th layer from the end, as clip_skip in sd-scripts (default 1).")]
        public int ClipSkip { get; init; } = 1;

        [CommandOption("--tokenizer <DIR>")]
        [Description("Folder with vocab.json and merges.txt (default: tokenizer/ next to the checkpoint or in the model folder).")]
        public string? Tokenizer { get; init; }

        [CommandOption("--out <PNG>")]
        [Description("The PNG file to write (required); it carries the AUTOMATIC1111 parameters text.")]
        public string? Out { get; init; }

        public override ValidationResult Validate()
        {
            if (string.IsNullOrWhiteSpace(Prompt)) return ValidationResult.Error("--prompt is required.");
            if (string.IsNullOrWhiteSpace(Out)) return ValidationResult.Error("--out <PNG> is required.");
            if (!PreviewLimits.IsValidSteps(Steps)) return ValidationResult.Error($"--steps {Steps}: steps must be {PreviewLimits.StepsRule}.");
            if (!PreviewLimits.IsValidGuidanceScale(Cfg)) return ValidationResult.Error($"--cfg {Cfg.ToString(CultureInfo.InvariantCulture)}: the CFG scale must be {PreviewLimits.GuidanceScaleRule}.");
            if (!PreviewLimits.IsValidSeed(Seed)) return ValidationResult.Error($"--seed {Seed}: the seed must be {PreviewLimits.SeedRule}.");
            if (!PreviewLimits.IsValidSize(Width)) return ValidationResult.Error($"--width {Width}: the width must be {PreviewLimits.SizeRule()} (SD 1.x models), e.g. {PreviewLimits.NearestSize(Width)}.");
            if (!PreviewLimits.IsValidSize(Height)) return ValidationResult.Error($"--height {Height}: the height must be {PreviewLimits.SizeRule()} (SD 1.x models), e.g. {PreviewLimits.NearestSize(Height)}.");
            if (ClipSkip < 1) return ValidationResult.Error($"--clip-skip {ClipSkip}: 1 means the last layer; use 1 or more.");
            if (!double.IsFinite(LoraWeight)) return ValidationResult.Error("--lora-weight must be a number.");
            try
            {
                Samplers.Parse(Sampler);
            }
            catch (NotSupportedException e)
            {
                return ValidationResult.Error($"--sampler: {e.Message}");
            }
            return ValidationResult.Success();
        }
    }

    public override int Execute(CommandContext context, Settings settings)
    {
        try
        {
            return Run(settings);
        }
        catch (Exception e) when (IsUserError(e))
        {
            console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (Exception e)
        {
            console.Error.WriteLine($"error: sampling failed: {e.Message}");
            return ExitCodes.Failed;
        }
    }

    int Run(Settings settings)
    {
        var clock = Stopwatch.StartNew();
        var sampler = Samplers.Parse(settings.Sampler);
        var location = ModelLocator.Resolve(settings.Model);
        var tokenizer = TokenizerLocator.Load(location, settings.Tokenizer);
        using var model = ModelLoader.Load(location);
        TokenizerFit.Check(tokenizer, model.Config.TextEncoder);
        var request = new ImageRequest(settings.Prompt!, settings.Negative, settings.Steps, settings.Cfg, sampler, settings.Seed,
            settings.Width, settings.Height, settings.ClipSkip);
        request.Validate(model.Config);

        using var lora = settings.Lora is null ? null : LoraFileLoader.Attach(settings.Lora, model, settings.LoraWeight);
        var generator = new ImageGenerator(model, tokenizer);
        if (settings.ClipSkip > generator.Prompts.MaxClipSkip)
            throw new CliInputException($"--clip-skip {settings.ClipSkip}: this text encoder has {generator.Prompts.MaxClipSkip} layers.");
        var image = generator.Generate(request);

        var parameters = SampleInfotext.For(request, settings, location, lora);
        PreviewPng.Write(settings.Out!, image, Infotext.Format(parameters));
        console.Out.WriteLine($"wrote {Path.GetFullPath(settings.Out!)} ({image.Width}x{image.Height}, {settings.Steps} steps, {SampleInfotext.SamplerName(sampler)}, seed {settings.Seed}) in {Durations.Short(clock.Elapsed.TotalSeconds)}");
        return ExitCodes.Ok;
    }

    static bool IsUserError(Exception e) => e is ModelLoadException or StateDictLoadException or SafetensorsFormatException
        or PickleCheckpointException or TokenizerFilesException or LoraFileException or FileNotFoundException or DirectoryNotFoundException
        or ArgumentException or CliInputException;
}
