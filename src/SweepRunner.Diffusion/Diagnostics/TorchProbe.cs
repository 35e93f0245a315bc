using System.Reflection;
using SweepRunner.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Diagnostics;

public sealed record TorchReport(
    bool Started,
    string? Error,
    string TorchSharpVersion,
    string? LibTorchVersion,
    int CpuThreads,
    bool CudaAvailable,
    int CudaDevices,
    string LibstdcxxHost,
    string LibstdcxxFix);

/// <summary>Starts libtorch and reports what a user needs when something fails.</summary>
public static class TorchProbe
{
    public static TorchReport Run()
    {
        var torchSharp = typeof(torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                         ?? typeof(torch).Assembly.GetName().Version?.ToString() ?? "unknown";
        var (host, fix) = LibstdcxxState();
        try
        {
            using var scope = NewDisposeScope();
            var x = ones(2, 2, requires_grad: true);
            (x * 3).sum().backward();
            var hasCuda = cuda_is_available();
            return new TorchReport(true, null, torchSharp, __version__, get_num_threads(), hasCuda, hasCuda ? cuda.device_count() : 0, host, fix);
        }
        catch (Exception e) when (e is TypeInitializationException or DllNotFoundException or NotSupportedException or InvalidOperationException or EntryPointNotFoundException)
        {
            var message = e.InnerException?.Message ?? e.Message;
            return new TorchReport(false, message, torchSharp, null, 0, false, 0, host, fix);
        }
    }

    static (string Host, string Fix) LibstdcxxState()
    {
        if (!OperatingSystem.IsLinux()) return ("not Linux", "not needed");
        try
        {
            var needsFix = ElfVersionNeeds.HostNeedsFix(out var detail);
            var lib = Directory.EnumerateFiles(AppContext.BaseDirectory, "libLibTorchSharp.so", SearchOption.AllDirectories).FirstOrDefault();
            if (lib == null) return (detail, "libLibTorchSharp.so not found next to the program");
            var state = ElfVersionNeeds.GetNeedState(lib, ElfVersionNeeds.TorchSharpNeededVersion);
            var fix = state switch
            {
                VersionNeedState.Weak => $"applied ({ElfVersionNeeds.TorchSharpNeededVersion} marked weak in {lib})",
                VersionNeedState.Absent => "not needed by this libLibTorchSharp.so",
                _ when needsFix => $"NOT applied: {lib} requires {ElfVersionNeeds.TorchSharpNeededVersion}; rebuild with 'dotnet build' on this machine",
                _ => "not needed (the system libstdc++ is new enough)",
            };
            return (detail, fix);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return ("unknown", "could not be checked: " + e.Message);
        }
    }
}
