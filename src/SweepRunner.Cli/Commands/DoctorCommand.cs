using System.ComponentModel;
using System.Runtime.InteropServices;
using Spectre.Console;
using Spectre.Console.Cli;
using SweepRunner.Cli.Hosting;
using SweepRunner.Store;
using SweepRunner.Diffusion.Diagnostics;

namespace SweepRunner.Cli.Commands;

public sealed class DoctorCommand(CliConsole console) : Command<DoctorCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--results <DIR>")]
        [Description("Results folder whose free space and database to check (default: results).")]
        public string Results { get; init; } = "results";
    }

    public override int Execute(CommandContext context, Settings settings)
    {
        var torch = TorchProbe.Run();
        var table = new Table().Border(TableBorder.Simple).AddColumn("check").AddColumn("result");
        void Row(string name, string value) => table.AddRow(Markup.Escape(name), Markup.Escape(value));
        Row(".NET", RuntimeInformation.FrameworkDescription + " on " + RuntimeInformation.OSDescription + " " + RuntimeInformation.OSArchitecture);
        Row("TorchSharp", torch.TorchSharpVersion);
        Row("libtorch", torch.Started ? torch.LibTorchVersion ?? "unknown" : "FAILED TO START: " + torch.Error);
        Row("CPU", $"{Environment.ProcessorCount} cores, torch threads {torch.CpuThreads}");
        Row("CUDA", torch.CudaAvailable ? $"{torch.CudaDevices} device(s)" : "not available (CPU build, or no driver/GPU)");
        Row("libstdc++", torch.LibstdcxxHost);
        Row("libstdc++ fix", torch.LibstdcxxFix);
        Row("SQLite", SqliteInfo.Version());
        var results = Path.GetFullPath(settings.Results);
        var existing = results;
        while (!Directory.Exists(existing)) existing = Path.GetDirectoryName(existing) ?? "/";
        var drive = new DriveInfo(existing);
        var free = $"{drive.AvailableFreeSpace / (1024.0 * 1024 * 1024):0.0} GiB free";
        Row("results folder", existing == results
            ? $"{results} ({free})"
            : $"{results} does not exist yet ('run' or 'plan --save' creates it; {free} in {existing})");
        console.Ansi.Write(table);
        if (torch.Started) return ExitCodes.Ok;
        console.Ansi.MarkupLine("[red]torch cannot start.[/] Rebuild on this machine ('dotnet build') so the libstdc++ fix is applied, and check the libtorch package is restored.");
        return ExitCodes.Failed;
    }
}
