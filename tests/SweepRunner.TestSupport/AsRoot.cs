using System.Diagnostics;

namespace SweepRunner.TestSupport;

/// <summary>Runs a system command that needs root (mount, umount): directly as root, else through sudo without a password.</summary>
public static class AsRoot
{
    public static void Run(string why, string program, params string[] arguments)
    {
        var asRoot = Environment.UserName == "root";
        var start = new ProcessStartInfo(asRoot ? program : "sudo") { RedirectStandardError = true, RedirectStandardOutput = true };
        if (!asRoot) start.ArgumentList.Add("-n");
        if (!asRoot) start.ArgumentList.Add(program);
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"'{program} {string.Join(' ', arguments)}' failed ({error.Trim()}): this test needs root, or sudo without a password, to {why}");
    }
}
