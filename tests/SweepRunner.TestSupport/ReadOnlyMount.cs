using System.Diagnostics;

namespace SweepRunner.TestSupport;

/// <summary>
/// A folder made read-only for real for one test: bind-mounted read-only onto itself, so that even root cannot write
/// it (chmod does not stop root). Mounting needs root, or sudo without a password, as <see cref="SmallDisk"/> does.
/// </summary>
public sealed class ReadOnlyMount : IDisposable
{
    public ReadOnlyMount(string folder)
    {
        Path = System.IO.Path.GetFullPath(folder);
        Run("mount", "--bind", Path, Path);
        Run("mount", "-o", "remount,bind,ro", Path);
    }

    public string Path { get; }

    public void Dispose() => Run("umount", Path);

    static void Run(string program, params string[] arguments)
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
            throw new InvalidOperationException($"'{program} {string.Join(' ', arguments)}' failed ({error.Trim()}): this test needs root, or sudo without a password, to mount a folder read-only");
    }
}
