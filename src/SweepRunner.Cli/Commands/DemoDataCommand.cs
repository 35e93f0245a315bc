using System.ComponentModel;
using Spectre.Console.Cli;
using SweepRunner.Cli.Hosting;
using SweepRunner.DemoBuilder;

namespace SweepRunner.Cli.Commands;

public sealed class DemoDataCommand(CliConsole console) : Command<DemoDataCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<folder>")]
        [Description("Dataset folder to write (kohya layout).")]
        public string Folder { get; init; } = "";

        [CommandOption("--count <N>")]
        [Description("Number of images (default 30).")]
        public int Count { get; init; } = 30;

        [CommandOption("--size <PIXELS>")]
        [Description("Width and height of each image in pixels (default 512).")]
        public int Size { get; init; } = 512;

        [CommandOption("--repeats <N>")]
        [Description("kohya repeats: the subfolder is named <repeats>_<token> <name> (default 15).")]
        public int Repeats { get; init; } = 15;

        [CommandOption("--name <NAME>")]
        [Description("Class word of the subject, used in captions and the folder name (default person).")]
        public string Name { get; init; } = "person";

        [CommandOption("--token <TOKEN>")]
        [Description("Trigger token of the subject (default sks).")]
        public string Token { get; init; } = "sks";

        [CommandOption("--seed <SEED>")]
        [Description("Seed of the generated figures; the same seed writes the same files (default 1).")]
        public int Seed { get; init; } = 1;

        public override Spectre.Console.ValidationResult Validate() =>
            Count < 1 || Size < 64 || Size % 8 != 0 || Repeats < 1
                ? Spectre.Console.ValidationResult.Error("--count >= 1, --size a multiple of 8 from 64, --repeats >= 1")
                : Spectre.Console.ValidationResult.Success();
    }

    public override int Execute(CommandContext context, Settings settings)
    {
        var files = DemoDatasetGenerator.Write(settings.Folder, settings.Count, settings.Size, settings.Repeats, settings.Name, settings.Token, settings.Seed);
        console.Out.WriteLine($"wrote {files.Count} images with captions to {Path.GetFullPath(settings.Folder)}");
        return ExitCodes.Ok;
    }
}
