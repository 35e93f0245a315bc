using System.Reflection;
using SweepRunner.Supervisor;

namespace SweepRunner.Cli.Commands;

/// <summary>How this program starts another instance of itself (a training worker).</summary>
public static class SelfCommand
{
    public static WorkerLaunch Worker()
    {
        var process = Environment.ProcessPath ?? "dotnet";
        var isHost = Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase);
        return isHost
            ? new WorkerLaunch(process, [Assembly.GetEntryAssembly()!.Location])
            : new WorkerLaunch(process, []);
    }
}
