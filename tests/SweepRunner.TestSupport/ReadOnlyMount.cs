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

    static void Run(string program, params string[] arguments) => AsRoot.Run("mount a folder read-only", program, arguments);
}
